/**
 * The annotation and label names pivotctl shares with Metal3, Cluster API, Kubernetes and itself, each defined once.
 * Export, restore, verify and release read them here; nothing else in {@code src/main} spells them out
 * (VocabularyTest fails where something does). Depends on nothing.
 */
package io.pivotctl.vocabulary;
