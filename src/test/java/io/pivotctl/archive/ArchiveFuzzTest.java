package io.pivotctl.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import io.pivotctl.testing.Cli;
import io.pivotctl.validate.ArchiveKeys;
import io.pivotctl.validate.ArchiveValidation;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzz-style corpus over the archive reader and validator: bit flips, truncation at every entry boundary,
 * random tar headers, and structure-aware mutations of the format ({@link StructuredMutations}: huge arrays, deep
 * nesting, long strings and names, many unknown entries, duplicated keys, a summary that contradicts its manifest).
 * Every outcome is either a report or exit 3 with one line; never another exception, never an unbounded allocation
 * (entry sizes are capped before anything is allocated). Iterations: -Dpivotctl.fuzz.iterations (default 300 for the
 * byte-level cases and {@value StructuredMutations#DEFAULT_ITERATIONS} per structured mutation, bounded for CI; the
 * given number applies to each structured mutation, so 10000 runs long).
 */
class ArchiveFuzzTest {

    static final int ITERATIONS = Integer.getInteger("pivotctl.fuzz.iterations", 300);
    static final ArchiveLimits LIMITS = new ArchiveLimits(10_000, 1 << 20, 16L << 20);

    @TempDir
    Path dir;

    /** Runs one mutated archive through the whole offline validation; returns false when it was judged invalid. */
    private boolean judge(byte[] archive, String what) throws Exception {
        Path f = dir.resolve("fuzz.tar");
        Files.write(f, archive);
        try {
            return ArchiveValidation.validate(f, ArchiveKeys.NONE, LIMITS, w -> { }).report().valid();
        } catch (PivotctlException e) {
            assertEquals(Outcome.INVALID, e.outcome(), what + ": " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"), what + ": one line");
            assertFalse(e.getMessage().isBlank(), what);
            return false;
        } catch (Throwable t) {
            fail(what + ": unexpected " + t, t);
            return true;
        }
    }

    private byte[] good(String name) throws Exception {
        Path p = dir.resolve(name);
        TestArchives.write(p);
        return Files.readAllBytes(p);
    }

    @Test
    void randomBitFlipsNeverEscapeAsAnythingButInvalid() throws Exception {
        Random rnd = new Random(20261124);
        for (String name : List.of("g.tar", "g.tar.gz")) {
            byte[] good = good(name);
            assertTrue(judge(good, "unmodified"));
            int invalid = 0;
            for (int i = 0; i < ITERATIONS; i++) {
                byte[] b = good.clone();
                int flips = 1 + rnd.nextInt(3);
                for (int k = 0; k < flips; k++) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
                invalid += judge(b, name + " flip #" + i) ? 0 : 1;
            }
            // flips in tar padding are harmless; most flips must be caught
            assertTrue(invalid > ITERATIONS / 2, name + ": only " + invalid + " of " + ITERATIONS + " flips detected");
        }
    }

    @Test
    void truncationAtEveryEntryBoundaryAndInsideEntries() throws Exception {
        byte[] good = good("t.tar");
        int checked = 0;
        for (int cut = 0; cut < good.length - 1024; cut += 512) { // every 512-byte record boundary, headers included
            assertFalse(judge(Arrays.copyOf(good, cut), "cut at " + cut), "truncated at " + cut + " judged valid");
            checked++;
        }
        byte[] gz = good("t.tar.gz");
        for (int cut = 0; cut < gz.length; cut += Math.max(1, gz.length / 50)) {
            assertFalse(judge(Arrays.copyOf(gz, cut), "gz cut at " + cut));
            checked++;
        }
        assertTrue(checked > 10);
    }

    @Test
    void randomTarHeadersAreRejectedWithoutHugeAllocations() throws Exception {
        Random rnd = new Random(7);
        for (int i = 0; i < ITERATIONS / 3; i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] header = new byte[512];
            rnd.nextBytes(header);
            out.write(header);
            if (rnd.nextBoolean()) {
                // a plausible header that claims a huge size: must hit the limit, not allocate it
                out.reset();
                try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
                    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                    TarArchiveEntry e = new TarArchiveEntry("manifest.json");
                    e.setSize(1L << (30 + rnd.nextInt(20)));
                    tar.putArchiveEntry(e);
                    tar.write(new byte[100]);
                    // deliberately not closing the entry: the rest is missing
                } catch (Exception expected) {
                    // commons-compress refuses to finish a short entry; the bytes written so far are the corpus
                }
            }
            out.write(new byte[rnd.nextInt(2048)]);
            assertFalse(judge(out.toByteArray(), "random header #" + i));
        }
    }

    @Test
    void theCommandLineGivesExitThreeAndNoStackTraceForDamage() throws Exception {
        byte[] good = good("c.tar.gz");
        List<byte[]> corpus = new ArrayList<>();
        corpus.add(Arrays.copyOf(good, good.length / 2));
        byte[] flipped = good.clone();
        flipped[good.length / 3] ^= 0x10;
        corpus.add(flipped);
        corpus.add("garbage".getBytes());
        for (byte[] c : corpus) {
            Path f = dir.resolve("cli.tar.gz");
            Files.write(f, c);
            Cli.Result r = Cli.run("validate", f.toString());
            assertEquals(3, r.exitCode(), r.toString());
            assertFalse(r.err().contains("\tat ") || r.out().contains("\tat "), r.toString());
        }
    }

    @Test
    void hugeArrays() throws Exception {
        fuzz("huge arrays");
    }

    @Test
    void deepNesting() throws Exception {
        fuzz("deep nesting");
    }

    @Test
    void longStringsAndNames() throws Exception {
        fuzz("long strings and names");
    }

    @Test
    void manyUnknownEntries() throws Exception {
        fuzz("many unknown entries");
    }

    @Test
    void duplicatedKeys() throws Exception {
        fuzz("duplicated keys");
    }

    @Test
    void aSummaryThatContradictsItsManifest() throws Exception {
        fuzz("a summary that contradicts its manifest");
    }

    /**
     * {@link StructuredMutations#ITERATIONS} variants of one structure-aware mutation of a good archive: every one is
     * judged invalid (a report with errors, or exit 3 in one line), none ends in another exception or an Error.
     */
    private void fuzz(String mutation) throws Exception {
        StructuredMutations mutations = new StructuredMutations(TestArchives.contents(dir));
        StructuredMutations.Mutation m = mutations.all().get(mutation);
        Random rnd = new Random(20_261_205L + mutation.hashCode());
        for (int i = 0; i < StructuredMutations.ITERATIONS; i++) {
            StructuredMutations.Mutant x = m.apply(rnd);
            assertFalse(judge(x.archive(), mutation + " #" + i + ": " + x.what()), mutation + " #" + i + " judged valid: " + x.what());
        }
        System.out.println(mutation + ": " + StructuredMutations.ITERATIONS + " iterations, 0 failures");
    }
}
