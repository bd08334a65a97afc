package io.idstream.crypto.tls;

import io.idstream.crypto.CryptoException;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A TLS server's key and its certificate chain (the server's certificate, then its CA's), kept as a PKCS#12
 * keystore under a password, the form Kafka ({@code ssl.keystore.type=PKCS12}), Connect's REST server and the JDK's
 * HTTPS server all load. {@link #toString()} shows the subject and names, never the key.
 */
public final class ServerCertificate {
    /** The keystore entry of the key and its chain. */
    public static final String ALIAS = "server";
    private static final int SUBJECT_ALTERNATIVE_DNS = 2;
    private static final int SUBJECT_ALTERNATIVE_IP = 7;

    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;

    ServerCertificate(PrivateKey privateKey, List<X509Certificate> chain) {
        this.privateKey = privateKey;
        this.chain = List.copyOf(chain);
    }

    /** Reads a keystore written by {@link #toPkcs12}; a wrong password or another kind of file is refused. */
    public static ServerCertificate fromPkcs12(byte[] pkcs12, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(pkcs12), password);
            if (!(store.getKey(ALIAS, password) instanceof PrivateKey key)) {
                throw new CryptoException("the keystore has no private key under '" + ALIAS + "'");
            }
            Certificate[] chain = store.getCertificateChain(ALIAS);
            return new ServerCertificate(key, List.of(chain).stream().map(X509Certificate.class::cast).toList());
        } catch (IOException | GeneralSecurityException e) {
            throw new CryptoException("the keystore cannot be read: " + e.getMessage());
        }
    }

    /** The server's own certificate, first of the chain. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The DNS names and IP addresses the certificate is valid for, as {@code DNS:name} and {@code IP:address}. */
    public Set<String> subjectAlternativeNames() {
        Set<String> names = new TreeSet<>();
        try {
            Collection<List<?>> alternatives = certificate().getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    int type = (Integer) alternative.get(0);
                    if (type == SUBJECT_ALTERNATIVE_DNS) {
                        names.add("DNS:" + alternative.get(1));
                    } else if (type == SUBJECT_ALTERNATIVE_IP) {
                        names.add("IP:" + alternative.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new CryptoException("the server certificate's alternative names cannot be read: " + e.getMessage());
        }
        return names;
    }

    /** The key and chain as a PKCS#12 keystore, the key protected by {@code password}. */
    public byte[] toPkcs12(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, privateKey, password, chain.toArray(Certificate[]::new));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            return out.toByteArray();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write a PKCS#12 keystore", e);
        }
    }

    /** A TLS context that presents this certificate, for a server. */
    public SSLContext serverContext() {
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, privateKey, password, chain.toArray(Certificate[]::new));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS server context", e);
        }
    }

    @Override
    public String toString() {
        return "ServerCertificate[" + certificate().getSubjectX500Principal() + " " + subjectAlternativeNames()
                + " until " + certificate().getNotAfter().toInstant() + "]";
    }
}
