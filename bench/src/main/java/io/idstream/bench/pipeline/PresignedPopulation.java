package io.idstream.bench.pipeline;

import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.IssuanceEvent;
import io.idstream.bench.pipeline.SetUpPublisher.Keyed;
import io.idstream.schemas.serde.GeneratedClassTrust;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * A scale population signed ahead of a run and kept in a directory, so that a run spends its time loading, not
 * signing: the issuers' public keys and the issuers' and consumers' registrations in {@code others.bin}, each chunk
 * of holders in {@code chunk-N.bin} (records in Avro's single-object encoding), and last {@code population
 * .properties}, whose counts a run checks against its own. No private key is written: what needs one at run time
 * (the operator's accreditations) is signed then. Records carry the time they were signed, well inside the
 * processors' replay window of 7 days.
 */
final class PresignedPopulation implements PopulationSource {
    private static final String MANIFEST = "population.properties";
    private static final String OTHERS = "others.bin";

    private final Path dir;
    private final Properties manifest;

    static {
        // The records are read back into idstream's generated classes, which Avro instantiates only once trusted.
        GeneratedClassTrust.install();
    }

    private PresignedPopulation(Path dir, Properties manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    /** Signs the population on every core and writes it to {@code dir}; returns how long that took, in seconds. */
    static double write(Path dir, int holders, int consumers, int issuers, int credentials, Consumer<String> progress)
            throws IOException {
        long started = System.nanoTime();
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(MANIFEST));
        PopulationSigner signer = new PopulationSigner(holders, consumers, issuers, credentials,
                System.currentTimeMillis());
        try (DataOutputStream out = output(dir.resolve(OTHERS))) {
            List<PopulationSigner.IssuerKey> keys = signer.issuerKeys();
            out.writeInt(keys.size());
            for (PopulationSigner.IssuerKey key : keys) {
                out.writeUTF(key.id());
                writeBytes(out, key.signingKey());
            }
            writeRecords(out, signer.otherRegistrations(), DirectoryEvent::toByteBuffer);
        }
        for (int from = 0; from < holders; from += CHUNK) {
            HolderChunk chunk = signer.chunk(from, Math.min(holders, from + CHUNK));
            try (DataOutputStream out = output(dir.resolve(chunkFile(from)))) {
                writeRecords(out, chunk.registrations(), DirectoryEvent::toByteBuffer);
                writeRecords(out, chunk.consents(), DecisionEvent::toByteBuffer);
                writeRecords(out, chunk.credentials(), IssuanceEvent::toByteBuffer);
            }
            progress.accept(String.format("presigned %d of %d holders (%.1f s for the chunk)", Math.min(holders,
                    from + CHUNK), holders, chunk.signSeconds()));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Properties manifest = counts(holders, consumers, issuers, credentials);
        manifest.setProperty("sign_seconds", String.format("%.1f", seconds));
        try (var out = Files.newBufferedWriter(dir.resolve(MANIFEST))) {
            manifest.store(out, "idstream bench --scale presigned population");
        }
        return seconds;
    }

    /** The population in {@code dir}, refused unless it was signed for exactly these counts. */
    static PresignedPopulation open(Path dir, int holders, int consumers, int issuers, int credentials)
            throws IOException {
        Path file = dir.resolve(MANIFEST);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no presigned population in " + dir + " (no " + MANIFEST + ")");
        }
        Properties manifest = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            manifest.load(in);
        }
        Properties wanted = counts(holders, consumers, issuers, credentials);
        for (String key : wanted.stringPropertyNames()) {
            if (!wanted.getProperty(key).equals(manifest.getProperty(key))) {
                throw new IllegalArgumentException("the population in " + dir + " has " + key + "="
                        + manifest.getProperty(key) + ", not " + wanted.getProperty(key));
            }
        }
        return new PresignedPopulation(dir, manifest);
    }

    double signSeconds() {
        return Double.parseDouble(manifest.getProperty("sign_seconds"));
    }

    @Override
    public List<PopulationSigner.IssuerKey> issuerKeys() {
        try (DataInputStream in = input(dir.resolve(OTHERS))) {
            List<PopulationSigner.IssuerKey> keys = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                keys.add(new PopulationSigner.IssuerKey(in.readUTF(), readBytes(in)));
            }
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<Keyed<DirectoryEvent>> otherRegistrations() {
        try (DataInputStream in = input(dir.resolve(OTHERS))) {
            for (int i = in.readInt(); i > 0; i--) {
                in.readUTF();
                readBytes(in);
            }
            return readRecords(in, DirectoryEvent::fromByteBuffer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public HolderChunk chunk(int from, int to) {
        long started = System.nanoTime();
        try (DataInputStream in = input(dir.resolve(chunkFile(from)))) {
            return new HolderChunk(readRecords(in, DirectoryEvent::fromByteBuffer),
                    readRecords(in, DecisionEvent::fromByteBuffer), readRecords(in, IssuanceEvent::fromByteBuffer),
                    (System.nanoTime() - started) / 1e9);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties counts(int holders, int consumers, int issuers, int credentials) {
        Properties counts = new Properties();
        counts.setProperty("holders", Integer.toString(holders));
        counts.setProperty("consumers", Integer.toString(consumers));
        counts.setProperty("issuers", Integer.toString(issuers));
        counts.setProperty("credentials", Integer.toString(credentials));
        counts.setProperty("chunk", Integer.toString(CHUNK));
        return counts;
    }

    private static String chunkFile(int from) {
        return String.format("chunk-%07d.bin", from / CHUNK);
    }

    private interface Encoder<V> {
        ByteBuffer encode(V value) throws IOException;
    }

    private interface Decoder<V> {
        V decode(ByteBuffer bytes) throws IOException;
    }

    private static <V> void writeRecords(DataOutputStream out, List<Keyed<V>> records, Encoder<V> encoder)
            throws IOException {
        out.writeInt(records.size());
        for (Keyed<V> record : records) {
            out.writeUTF(record.key());
            ByteBuffer bytes = encoder.encode(record.value());
            byte[] array = new byte[bytes.remaining()];
            bytes.get(array);
            writeBytes(out, array);
        }
    }

    private static <V> List<Keyed<V>> readRecords(DataInputStream in, Decoder<V> decoder) throws IOException {
        int count = in.readInt();
        List<Keyed<V>> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String key = in.readUTF();
            records.add(new Keyed<>(key, decoder.decode(ByteBuffer.wrap(readBytes(in)))));
        }
        return records;
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        return in.readNBytes(in.readInt());
    }

    private static DataOutputStream output(Path file) throws IOException {
        return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20));
    }

    private static DataInputStream input(Path file) throws IOException {
        return new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20));
    }
}
