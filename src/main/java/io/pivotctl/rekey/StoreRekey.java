package io.pivotctl.rekey;

import io.pivotctl.PivotctlException;
import io.pivotctl.archive.ArchiveLimits;
import io.pivotctl.archive.Manifest;
import io.pivotctl.archive.Summary;
import io.pivotctl.crypto.SealingKeys;
import io.pivotctl.storage.ArchiveLocation;
import io.pivotctl.storage.ArchiveStore;
import io.pivotctl.storage.StoredObject;
import io.pivotctl.validate.ArchiveKeys;
import io.pivotctl.validate.ArchiveValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Rekeys every archive of a store (a directory or an S3 prefix), one at a time: the new version is written under the
 * store's staging folder, read back and validated ({@link RekeyService}), and only then put under the archive's name in
 * one step. An archive already sealed for the new keys is skipped, so a run that was interrupted is finished by running
 * it again; what an interrupted run left in the staging folder is removed first.
 */
public final class StoreRekey {

    /** What happened to one object of the store. */
    public enum Status { rekeyed, skipped, failed, other }

    /** One object: its name, what happened, and why (never a Secret value: messages name entries and keys' public halves). */
    public record Row(String name, Status status, String detail) {
    }

    private final RekeyService service;
    private final Consumer<String> progress;
    private final Optional<char[]> newPassphrase;

    /** {@code newPassphrase}: the passphrase the new keys include, to recognise an archive already sealed with it. */
    public StoreRekey(RekeyService service, Consumer<String> progress, Optional<char[]> newPassphrase) {
        this.service = service;
        this.progress = progress;
        this.newPassphrase = newPassphrase;
    }

    /** Every object of {@code store}, rekeyed with {@code keys} (its source and target are set per archive). */
    public List<Row> rekeyAll(ArchiveStore store, RekeyRequest keys) {
        int cleared = store.clearStaging();
        if (cleared > 0) {
            progress.accept("removed " + cleared + " object(s) an interrupted rekey left in " + store + "/" + ArchiveStore.STAGING);
        }
        List<Row> rows = new ArrayList<>();
        List<StoredObject> objects = store.list();
        for (int i = 0; i < objects.size(); i++) {
            StoredObject object = objects.get(i);
            progress.accept("[" + (i + 1) + "/" + objects.size() + "] " + object.name());
            rows.add(rekeyOne(store, object, keys));
        }
        store.clearStaging();
        return rows;
    }

    private Row rekeyOne(ArchiveStore store, StoredObject object, RekeyRequest keys) {
        Summary head;
        try {
            head = store.readHead(object).summary();
        } catch (PivotctlException notAnArchive) {
            return new Row(object.name(), Status.other, "not a pivotctl archive: " + notAnArchive.getMessage());
        }
        if (alreadyFor(head, keys.newKeys(), object.location())) {
            return new Row(object.name(), Status.skipped, "already sealed for the new recipients");
        }
        ArchiveLocation staged = store.staging(object);
        try {
            service.rekey(keys.from(object.location(), staged));
            store.replace(staged, object);
            progress.accept("replaced " + object.name() + " by its rekeyed version");
            return new Row(object.name(), Status.rekeyed, "");
        } catch (PivotctlException e) {
            staged.delete();
            if (e.outcome() == io.pivotctl.Outcome.USAGE) {
                throw e; // the same for every archive (a signed one without --sign-key): stop, nothing else is touched
            }
            return new Row(object.name(), Status.failed, e.getMessage());
        }
    }

    /** Its X25519 recipients are the new ones, and, with a new passphrase, that passphrase opens it. */
    private boolean alreadyFor(Summary head, SealingKeys keys, ArchiveLocation location) {
        Set<String> have = recipients(head.encryption().recipients());
        Set<String> want = keys.recipients().stream().filter(r -> !SealingKeys.ARCHIVE_IDENTITY_LABEL.equals(r.label()))
                .map(SealingKeys.Labelled::publicKey).collect(Collectors.toSet());
        if (!have.equals(want) || head.encryption().passphrase() != keys.passphrase()) {
            return false;
        }
        if (!keys.passphrase()) {
            return true;
        }
        ArchiveKeys withNew = new ArchiveKeys(null, newPassphrase.orElseThrow().clone(), null);
        try {
            return ArchiveValidation.validate(location, withNew, ArchiveLimits.DEFAULT, w -> { }).report().valid();
        } catch (PivotctlException wrongPassphrase) {
            return false;
        } finally {
            withNew.wipe();
        }
    }

    private static Set<String> recipients(List<Manifest.Recipient> listed) {
        return listed.stream().filter(r -> !SealingKeys.ARCHIVE_IDENTITY_LABEL.equals(r.label())).map(Manifest.Recipient::publicKey)
                .collect(Collectors.toSet());
    }
}
