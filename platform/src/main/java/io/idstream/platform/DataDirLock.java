package io.idstream.platform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The platform's hold on its data dir ({@code platform.lock}): taken before any server starts, so that a second
 * platform, or a data dir that is another Kafka cluster's log dir or cannot be written, is refused with a message
 * naming the dir instead of two brokers writing the same logs; released once every server has stopped.
 */
final class DataDirLock {
    private static final Logger LOG = LoggerFactory.getLogger(DataDirLock.class);

    private DataDirLock() {
    }

    static FileLock acquire(Path dataDir) {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            throw new PlatformException("data dir " + dataDir + " is the log dir of another Kafka cluster, not an "
                    + "idstream data dir; choose another --data-dir");
        }
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new PlatformException("data dir " + dataDir + " cannot be created: " + e.getMessage(), e);
        }
        if (!Files.isDirectory(dataDir) || !Files.isWritable(dataDir)) {
            throw new PlatformException("data dir " + dataDir + " is not a writable directory");
        }
        Path lockFile = dataDir.resolve("platform.lock");
        try {
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new PlatformException("data dir " + dataDir + " is in use by another idstream platform");
            }
            return lock;
        } catch (IOException e) {
            throw new PlatformException("data dir " + dataDir + " is not writable: " + e.getMessage(), e);
        }
    }

    static void release(FileLock lock) {
        try {
            lock.release();
            lock.channel().close();
        } catch (IOException e) {
            LOG.warn("Could not release the data dir lock: {}", e.getMessage());
        }
    }
}
