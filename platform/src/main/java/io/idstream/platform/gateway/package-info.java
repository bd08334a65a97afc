/**
 * One holder gateway instance as a process runs it: its HTTP server bound first, then its views told that address,
 * for the embedded platform and for {@code idstream gateway} against an existing cluster.
 */
package io.idstream.platform.gateway;
