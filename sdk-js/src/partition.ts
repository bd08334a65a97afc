import { Partitioners } from "kafkajs";

/**
 * The partitioner every write of this package uses: kafkajs 2's default, which hashes a key as Kafka's Java
 * `DefaultPartitioner` does, `toPositive(murmur2(UTF-8 key)) mod partitions` (docs/protocol.md section 9); the
 * processors refuse a record in any other partition.
 */
export const keyPartitioner = Partitioners.DefaultPartitioner;
