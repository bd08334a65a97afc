/**
 * The pipeline benchmark ({@code idstream bench}): the embedded platform in a JVM of its own, loaded and measured
 * from this one; crypto floors, a raw Kafka baseline and grant cost against credential size in the same run.
 */
package io.idstream.bench.pipeline;
