/**
 * X.509 for the secure platform's TLS: its own certificate authority, the server certificates it issues for the
 * broker, the registry and the Connect worker, and their PEM and PKCS#12 forms. Nothing here logs or prints a
 * private key.
 */
package io.idstream.crypto.tls;
