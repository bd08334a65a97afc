/** A Kafka Connect worker in the platform's process, for the webhook sink and any other Connect plugin. */
package io.idstream.platform.connect;
