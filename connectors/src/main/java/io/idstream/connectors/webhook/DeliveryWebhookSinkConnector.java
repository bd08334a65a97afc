package io.idstream.connectors.webhook;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * POSTs each event of a consumer's delivery topic to that consumer's webhook, still encrypted (only the consumer
 * can open it), as JSON signed by the Standard Webhooks specification ({@code webhook-id}, {@code webhook-timestamp},
 * {@code webhook-signature}); see {@link DeliveryWebhookSinkTask} for retries and dead-lettering and
 * {@link DeliveryWebhookSinkConfig} for the settings. Records must be read as bytes:
 * {@code value.converter=org.apache.kafka.connect.converters.ByteArrayConverter}.
 */
public class DeliveryWebhookSinkConnector extends SinkConnector {
    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        new DeliveryWebhookSinkConfig(props);
        this.props = new HashMap<>(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return DeliveryWebhookSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) {
            configs.add(props);
        }
        return configs;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return DeliveryWebhookSinkConfig.DEFINITION;
    }

    @Override
    public String version() {
        return Version.get();
    }
}
