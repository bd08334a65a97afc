package io.idstream.cli.client;

import io.idstream.platform.OperatorKey;
import io.idstream.platform.PlatformConfig;
import io.idstream.sdk.IdstreamException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * The operator public key of the platform started in this directory, which consumers and holders pin by default.
 * Whoever can write that file chooses whom they trust, so it is taken only against the embedded platform's own
 * address and only from a file that is not a link and that only this user can have written, directories included.
 */
final class EmbeddedOperatorKey {
    /** Where a platform started in this directory writes its operator public key. */
    static final Path DEFAULT_FILE = OperatorKey.publicKeyFile(
            Path.of(PlatformConfig.DEFAULT_DATA_DIR, "operator", "signing.pem"));

    private EmbeddedOperatorKey() {
    }

    /**
     * The key in {@code file}, in hex, if {@code embeddedAddress}: the command talks to the embedded platform's
     * default address; otherwise refused, with {@code elsewhere} (such as "Kafka at HOST:PORT") and {@code howToPin}
     * (the options that pin a key) in the message.
     */
    static String read(Path file, boolean embeddedAddress, String elsewhere, String howToPin) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!embeddedAddress) {
            throw new IdstreamException(absolute + " is the embedded platform's operator key, not trusted for "
                    + elsewhere + ": pass " + howToPin + ", as commands that verify deliveries need");
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(absolute, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                throw refused(absolute, "is a symbolic link", howToPin);
            }
            if (!attributes.isRegularFile()) {
                throw refused(absolute, "is not a regular file", howToPin);
            }
            checkOwnedAndNotShared(absolute, howToPin);
            checkOwnedAndNotShared(absolute.getParent(), howToPin);
            checkOwnedAndNotShared(absolute.getParent().getParent(), howToPin);
            // NOFOLLOW_LINKS at open too: a link swapped in after the checks is not followed.
            try (InputStream in = Files.newInputStream(absolute, LinkOption.NOFOLLOW_LINKS)) {
                return new String(in.readNBytes(4096), StandardCharsets.US_ASCII).strip();
            }
        } catch (IOException e) {
            throw new IdstreamException("cannot read " + absolute + ": " + e.getMessage());
        }
    }

    private static void checkOwnedAndNotShared(Path path, String howToPin) throws IOException {
        if (!path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
            throw refused(path, "is a symbolic link", howToPin);
        }
        UserPrincipal me = path.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        if (!attributes.owner().equals(me)) {
            throw refused(path, "is owned by " + attributes.owner().getName() + ", not by " + me.getName(),
                    howToPin);
        }
        Set<PosixFilePermission> permissions = attributes.permissions();
        if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw refused(path, "is writable by its group or others (" + PosixFilePermissions.toString(permissions)
                    + ")", howToPin);
        }
    }

    private static IdstreamException refused(Path named, String problem, String howToPin) {
        return new IdstreamException(named + " " + problem + ", so the operator key is not pinned from it: pass "
                + howToPin);
    }
}
