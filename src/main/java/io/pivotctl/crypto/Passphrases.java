package io.pivotctl.crypto;

import io.pivotctl.PivotctlException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/** Passphrases come from a file or from PIVOTCTL_PASSPHRASE, never from the command line (it shows in ps and shell history). */
public final class Passphrases {

    public static final String ENV = "PIVOTCTL_PASSPHRASE";

    private Passphrases() {
    }

    /** The passphrase from {@code file} (first line), else from the environment, else null. */
    public static char[] read(Path file) {
        if (file != null) {
            byte[] raw;
            try {
                raw = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw PivotctlException.usage("passphrase file " + file + " does not exist");
            } catch (IOException e) {
                throw PivotctlException.usage("cannot read passphrase file " + file + ": " + e.getClass().getSimpleName());
            }
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(raw));
            Arrays.fill(raw, (byte) 0);
            int end = 0;
            while (end < chars.limit() && chars.get(end) != '\n' && chars.get(end) != '\r') {
                end++;
            }
            char[] pass = Arrays.copyOf(chars.array(), end);
            Arrays.fill(chars.array(), '\0');
            if (pass.length == 0) {
                throw PivotctlException.usage("passphrase file " + file + " is empty");
            }
            return pass;
        }
        String env = System.getenv(ENV);
        return env == null || env.isEmpty() ? null : env.toCharArray();
    }
}
