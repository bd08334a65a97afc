/**
 * The one place that names idstream's topics: each {@link io.idstream.topics.Topic} carries its name, partitions,
 * retention and serdes, and {@link io.idstream.topics.TopicProvisioner} creates what is missing without touching data.
 */
package io.idstream.topics;
