package io.pivotctl.crypto;

import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import io.pivotctl.PivotctlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** age X25519 recipients (age1...) from the command line and from recipients files. */
public final class Recipients {

    private Recipients() {
    }

    public static String check(String recipient, String where) {
        String r = recipient.strip();
        try {
            X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(r);
            return r;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw PivotctlException.usage(where + ": '" + abbreviate(r) + "' is not an age X25519 recipient (age1...)");
        }
    }

    /** The given recipients plus those of the file (one per line, '#' comments), checked and de-duplicated. */
    public static List<String> collect(List<String> given, Path file) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String r : given) {
            out.add(check(r, "--recipient"));
        }
        if (file != null) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (NoSuchFileException e) {
                throw PivotctlException.usage("recipients file " + file + " does not exist");
            } catch (IOException e) {
                throw PivotctlException.usage("cannot read recipients file " + file + ": " + e.getMessage());
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    out.add(check(line, file + " line " + (i + 1)));
                }
            }
        }
        return new ArrayList<>(out);
    }

    private static String abbreviate(String s) {
        // never echo something that may be a secret key pasted by mistake
        if (s.startsWith(AgeIdentity.SECRET_PREFIX)) {
            return "AGE-SECRET-KEY-1... (a secret key, not a recipient!)";
        }
        return s.length() > 20 ? s.substring(0, 20) + "..." : s;
    }
}
