package io.idstream.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * A private key's PEM file as docs/protocol.md section 2 keeps it: written mode 600 (in a directory made mode 700),
 * and read only from a regular file, not a symbolic link, that neither its group nor others may read or write, so
 * that a key other users could read, or a link a thief planted to a key of theirs, is refused with the file's name,
 * its mode and the fix. On a file system without POSIX permissions only the link check applies.
 */
public final class PrivateKeyFile {
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    private static final int MAX_BYTES = 64 * 1024;

    private PrivateKeyFile() {
    }

    /** The PEM text of {@code file}, once it passed the checks above. */
    public static String read(Path file) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw new CryptoException(file + " is a symbolic link: a private key is read only from a regular file "
                    + "of its own (copy the key there, then chmod 600 it)");
        }
        if (posix(file)) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (!OWNER_ONLY.containsAll(permissions)) {
                throw new CryptoException(file + " has mode " + mode(permissions) + " ("
                        + PosixFilePermissions.toString(permissions) + "): its group or others may read or replace "
                        + "this private key; run chmod 600 " + file);
            }
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new CryptoException(file + " is not a regular file");
        }
        // NOFOLLOW_LINKS again at open: a link swapped in after the check above is not followed either.
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new CryptoException(file + " is larger than " + MAX_BYTES + " bytes: not a private key PEM");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /**
     * Writes {@code pem} to {@code file} mode 600, replacing it atomically; a parent directory this makes is mode
     * 700 (an existing one is left as it is).
     */
    public static void write(Path file, String pem) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            Files.createDirectories(parent);
            if (posix(parent)) {
                Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx------"));
            }
        }
        Path partial = parent.resolve(file.getFileName() + ".new");
        Files.deleteIfExists(partial);
        if (posix(parent)) {
            Files.createFile(partial,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            // The umask only takes bits away, but say 600 explicitly rather than rely on it.
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
        } else {
            Files.createFile(partial);
        }
        Files.writeString(partial, pem);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Whether {@code pem} holds a passphrase-encrypted key ({@code -----BEGIN ENCRYPTED PRIVATE KEY-----}). */
    public static boolean isEncrypted(String pem) {
        return Pem.isEncrypted(pem);
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static String mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            mode |= 1 << (8 - permission.ordinal());
        }
        return String.format("%03o", mode);
    }
}
