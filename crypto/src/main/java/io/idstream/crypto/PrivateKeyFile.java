package io.idstream.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A private key's PEM file as docs/protocol.md section 2 keeps it: written mode 600 (in a directory made mode 700),
 * and read only from a regular file, not a symbolic link, owned by the user who runs this process, that neither its
 * group nor others may read or write, so that a key other users could read or replace, or a link or file a thief
 * planted, is refused with the file's name, what is wrong and the fix. The file read is the one checked: it is
 * opened without following links, and refused if what its name points to changed while it was read. On a file
 * system without POSIX permissions only the link and regular-file checks apply. {@link #readSecret} and
 * {@link #write} keep other secrets (a Kafka login) the same way.
 */
public final class PrivateKeyFile {
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    private static final int MAX_BYTES = 64 * 1024;

    private PrivateKeyFile() {
    }

    /** The PEM text of {@code file}, once it passed the checks above. */
    public static String read(Path file) throws IOException {
        return readSecret(file, "private key");
    }

    /**
     * The text of {@code file}, a secret of no more than 64 KiB that the checks above keep private; {@code what}
     * names the secret in the refusals ("private key", "Kafka login").
     */
    public static String readSecret(Path file, String what) throws IOException {
        BasicFileAttributes checked = checkPrivate(file, what);
        byte[] bytes;
        // NOFOLLOW_LINKS at open too: a link swapped in after the checks is not followed.
        try (SeekableByteChannel in = Files.newByteChannel(file,
                Set.<OpenOption>of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            bytes = readAtMost(in, MAX_BYTES + 1);
        }
        BasicFileAttributes after = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!Objects.equals(checked.fileKey(), after.fileKey())) {
            throw new CryptoException(file + " was replaced by another file while it was read: refused");
        }
        if (bytes.length > MAX_BYTES) {
            throw new CryptoException(file + " is larger than " + MAX_BYTES + " bytes: not a " + what);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Writes {@code text} to {@code file} mode 600, replacing it atomically; a parent directory this makes is mode
     * 700 (an existing one is left as it is). The text goes through the channel that created {@code <file>.new}, so
     * a link swapped in under that name is never written through.
     */
    public static void write(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            Files.createDirectories(parent);
            if (posix(parent)) {
                Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx------"));
            }
        }
        Path partial = parent.resolve(file.getFileName() + ".new");
        Files.deleteIfExists(partial);
        boolean posix = posix(parent);
        Set<OpenOption> options = Set.<OpenOption>of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        try (FileChannel out = FileChannel.open(partial, options, ownerOnly)) {
            if (posix) {
                // The umask only takes bits away, but say 600 explicitly rather than rely on it.
                Files.getFileAttributeView(partial, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setPermissions(PosixFilePermissions.fromString("rw-------"));
            }
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(true);
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Whether {@code pem} holds a passphrase-encrypted key ({@code -----BEGIN ENCRYPTED PRIVATE KEY-----}). */
    public static boolean isEncrypted(String pem) {
        return Pem.isEncrypted(pem);
    }

    private static BasicFileAttributes checkPrivate(Path file, String what) throws IOException {
        boolean posix = posix(file);
        BasicFileAttributes attributes = posix
                ? Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                : Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
            throw new CryptoException(file + " is a symbolic link: a " + what + " is read only from a regular file "
                    + "of its own (copy it there, then chmod 600 it)");
        }
        if (!attributes.isRegularFile()) {
            throw new CryptoException(file + " is not a regular file");
        }
        if (posix) {
            PosixFileAttributes posixAttributes = (PosixFileAttributes) attributes;
            UserPrincipal owner = posixAttributes.owner();
            UserPrincipal me = currentUser(file);
            if (!owner.equals(me)) {
                throw new CryptoException(file + " is owned by " + owner.getName() + ", not by " + me.getName()
                        + " who reads it: another user could have planted or may replace this " + what
                        + "; run chown " + me.getName() + " " + file);
            }
            Set<PosixFilePermission> permissions = posixAttributes.permissions();
            if (!OWNER_ONLY.containsAll(permissions)) {
                throw new CryptoException(file + " has mode " + mode(permissions) + " ("
                        + PosixFilePermissions.toString(permissions) + "): its group or others may read or replace "
                        + "this " + what + "; run chmod 600 " + file);
            }
        }
        return attributes;
    }

    /** The user this process runs as, by name, or as the owner of a file it makes when the name is unknown. */
    private static UserPrincipal currentUser(Path near) throws IOException {
        try {
            return near.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
        } catch (UserPrincipalNotFoundException e) {
            Path probe = Files.createTempFile("idstream-owner", ".probe");
            try {
                return Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
            } finally {
                Files.delete(probe);
            }
        }
    }

    private static byte[] readAtMost(SeekableByteChannel in, int limit) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(limit);
        while (buffer.hasRemaining() && in.read(buffer) >= 0) {
            // read until the limit or the end of the file
        }
        byte[] bytes = Arrays.copyOf(buffer.array(), buffer.position());
        Arrays.fill(buffer.array(), (byte) 0);
        return bytes;
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
