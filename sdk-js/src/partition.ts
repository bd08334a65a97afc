import { Partitioners } from "kafkajs";

/**
 * The partitioner every write of this package uses: kafkajs 2's default, which hashes a key as Kafka's Java
 * `DefaultPartitioner` does, `toPositive(murmur2(UTF-8 key)) mod partitions` (docs/protocol.md section 9); the
 * processors refuse a record in any other partition.
 */
export const keyPartitioner = Partitioners.DefaultPartitioner;

/** The partition of `key` among `partitions`, as a write of this package places it. */
export function partitionOf(key: string, partitions: number): number {
  const choose = keyPartitioner();
  return choose({
    topic: "",
    partitionMetadata: Array.from({ length: partitions }, (_, partitionId) => ({
      partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0,
    })),
    message: { key, value: null },
  });
}
