package io.idstream.crypto;

import io.idstream.crypto.KeyBackup.Argon2Params;
import io.idstream.crypto.KeyBackup.Header;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * The bytes of a backup's header and its armour (docs/protocol.md section 17). The header is parsed, and its limits
 * checked, before any Argon2id runs: a memory cost, a number of passes or of lanes outside the limits would let whoever
 * wrote the backup make its reader spend what it chose.
 */
final class BackupFormat {
    static final String TAG = "idstream/v1/backup";
    static final int SALT_LENGTH = 16;
    static final int MIN_MEMORY_KIB = 65536;
    static final int MAX_MEMORY_KIB = 1048576;
    static final int MAX_ITERATIONS = 16;
    static final int MAX_PARALLELISM = 16;
    static final Set<String> ROLES = Set.of("holder", "issuer", "consumer");
    static final String BEGIN = "-----BEGIN IDSTREAM BACKUP-----";
    static final String END = "-----END IDSTREAM BACKUP-----";
    private static final int LINE_LENGTH = 64;

    private BackupFormat() {
    }

    /** A parsed header and how many bytes it took. */
    record Parsed(Header header, int headerLength) {
    }

    static byte[] encode(Header header) {
        check(header);
        return Encoding.tagged(TAG).lp(header.principalId()).lp(header.role())
                .u32(header.params().memoryKiB()).u32(header.params().iterations())
                .u32(header.params().parallelism()).lp(header.salt()).u64(header.createdAt()).toBytes();
    }

    /** Parses the header of {@code backup}, which must be followed by exactly {@code bodyLength} bytes. */
    static Parsed parse(byte[] backup, int bodyLength) {
        if (backup == null) {
            throw new CryptoException("no backup bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(backup);
        try {
            String tag = text(in, "tag");
            if (!TAG.equals(tag)) {
                throw new CryptoException("not an idstream backup: its tag is not \"" + TAG + "\"");
            }
            String principalId = text(in, "principal id");
            String role = text(in, "role");
            Argon2Params params = new Argon2Params(in.getInt(), in.getInt(), in.getInt());
            int saltLength = in.getInt();
            if (saltLength != SALT_LENGTH) {
                throw new CryptoException("the backup's salt is " + Integer.toUnsignedString(saltLength)
                        + " bytes, not " + SALT_LENGTH);
            }
            byte[] salt = new byte[SALT_LENGTH];
            in.get(salt);
            Header header = new Header(principalId, role, params, salt, in.getLong());
            check(header);
            if (in.remaining() < bodyLength) {
                throw new CryptoException("the backup is truncated: " + in.remaining() + " bytes after its header, "
                        + "expected " + bodyLength);
            }
            if (in.remaining() > bodyLength) {
                throw new CryptoException("the backup has " + (in.remaining() - bodyLength) + " trailing bytes");
            }
            return new Parsed(header, in.position());
        } catch (BufferUnderflowException e) {
            throw new CryptoException("the backup's header is truncated");
        }
    }

    private static String text(ByteBuffer in, String what) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CryptoException("the backup's " + what + " is not UTF-8");
        }
    }

    /** The limits of section 17, on a header written or read. */
    private static void check(Header header) {
        Identifiers.requirePrincipalId("the backup's principal id", header.principalId());
        if (!ROLES.contains(header.role())) {
            throw new CryptoException("the backup's role '" + header.role() + "' is none of " + ROLES);
        }
        Argon2Params params = header.params();
        if (params.memoryKiB() < MIN_MEMORY_KIB || params.memoryKiB() > MAX_MEMORY_KIB) {
            throw new CryptoException("the backup's Argon2id memory " + Integer.toUnsignedString(params.memoryKiB())
                    + " KiB is outside " + MIN_MEMORY_KIB + ".." + MAX_MEMORY_KIB);
        }
        if (params.iterations() < 1 || params.iterations() > MAX_ITERATIONS) {
            throw new CryptoException("the backup's Argon2id iterations "
                    + Integer.toUnsignedString(params.iterations()) + " are outside 1.." + MAX_ITERATIONS);
        }
        if (params.parallelism() < 1 || params.parallelism() > MAX_PARALLELISM) {
            throw new CryptoException("the backup's Argon2id parallelism "
                    + Integer.toUnsignedString(params.parallelism()) + " is outside 1.." + MAX_PARALLELISM);
        }
        if (header.salt().length != SALT_LENGTH) {
            throw new CryptoException("the backup's salt is " + header.salt().length + " bytes, not " + SALT_LENGTH);
        }
    }

    static String armor(byte[] backup) {
        String body = Base64.getMimeEncoder(LINE_LENGTH, new byte[] {'\n'}).encodeToString(backup);
        return BEGIN + "\n" + body + "\n" + END + "\n";
    }

    static byte[] unarmor(String text) {
        if (text == null) {
            throw new CryptoException("no armoured backup");
        }
        String[] lines = text.strip().split("\r?\n", -1);
        if (lines.length < 3 || !BEGIN.equals(lines[0]) || !END.equals(lines[lines.length - 1])) {
            throw new CryptoException("not an armoured backup: it does not start with " + BEGIN
                    + " and end with " + END);
        }
        StringBuilder body = new StringBuilder();
        for (int i = 1; i < lines.length - 1; i++) {
            String line = lines[i];
            if (line.isEmpty() || line.length() > LINE_LENGTH) {
                throw new CryptoException("line " + (i + 1) + " of the armoured backup is not a base64 line of 1 to "
                        + LINE_LENGTH + " characters");
            }
            body.append(line);
        }
        try {
            return Base64.getDecoder().decode(body.toString());
        } catch (IllegalArgumentException e) {
            throw new CryptoException("the armoured backup is not valid base64");
        }
    }
}
