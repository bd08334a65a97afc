/**
 * The secure platform's TLS: a CA of its own made on the first secure start, the certificate its broker, registry
 * and Connect worker present, renewed on start when due, and the settings servers and clients take them with.
 */
package io.idstream.platform.tls;
