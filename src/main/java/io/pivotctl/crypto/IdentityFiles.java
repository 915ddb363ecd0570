package io.pivotctl.crypto;

import io.pivotctl.PivotctlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Reading and writing files that hold secret keys: created 0600 and never overwritten; warn like ssh when readable by others. */
public final class IdentityFiles {

    private IdentityFiles() {
    }

    public static List<AgeIdentity> read(Path file, Consumer<String> warnings) {
        String text;
        try {
            warnIfOpen(file, warnings);
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw PivotctlException.usage("identity file " + file + " does not exist");
        } catch (IOException e) {
            throw PivotctlException.usage("cannot read identity file " + file + ": " + e.getClass().getSimpleName());
        }
        return AgeIdentity.parse(text, "identity file " + file);
    }

    static void warnIfOpen(Path file, Consumer<String> warnings) throws IOException {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)
                    || perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                warnings.accept("key file " + file + " is accessible by others (mode " + PosixFilePermissions.toString(perms)
                        + "); run: chmod 600 " + file);
            }
        } catch (UnsupportedOperationException notPosix) {
            // no POSIX permissions on this file system: nothing to check
        }
    }

    /** Creates {@code file} with mode 0600 from the start (never briefly readable) and refuses to overwrite. */
    public static void writeNew(Path file, byte[] content) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(file, content, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw PivotctlException.failed(file + " already exists: refusing to overwrite a key file (choose another name or delete it first)");
        } catch (IOException e) {
            throw PivotctlException.failed("cannot write " + file + ": " + e.getMessage());
        }
    }
}
