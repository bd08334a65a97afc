package io.idstream.platform.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.idstream.platform.KafkaLogins;
import io.idstream.platform.PlatformException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.apache.kafka.connect.rest.ConnectRestExtensionContext;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The secure platform's Connect worker runs connectors that read every consumer's delivery topic, so its REST API,
 * which creates connectors and shows their configs, serves the operator only: every request logs in with HTTP basic
 * authentication as the operator's Kafka user ({@link KafkaLogins}); no login or a wrong one gets 401, any other
 * user 403, with Connect's error body {@code {"error_code": ..., "message": ...}}.
 */
public final class OperatorOnlyRestExtension implements ConnectRestExtension {
    /** The worker setting that names the operator's Kafka user. */
    public static final String OPERATOR_USER = "idstream.connect.rest.operator";

    private static final ObjectMapper JSON = new ObjectMapper();

    private KafkaLogins logins;

    @Override
    public void configure(Map<String, ?> configs) {
        Map<String, Object> clientConfigs = new HashMap<>();
        configs.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                clientConfigs.put(key, value);
            }
        });
        logins = new KafkaLogins(String.valueOf(configs.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)),
                clientConfigs, String.valueOf(configs.get(OPERATOR_USER)));
    }

    @Override
    public void register(ConnectRestExtensionContext context) {
        context.configurable().register((ContainerRequestFilter) this::filter);
    }

    private void filter(ContainerRequestContext request) {
        Optional<String> user;
        try {
            user = logins.authenticate(request.getHeaderString("Authorization"));
        } catch (PlatformException e) {
            request.abortWith(error(503, e.getMessage()).build());
            return;
        }
        if (user.isEmpty()) {
            request.abortWith(error(401, "Unauthorized")
                    .header("WWW-Authenticate", "Basic realm=\"idstream connect\"").build());
        } else if (!logins.isOperator(user.get())) {
            request.abortWith(error(403, "User " + user.get() + " may not use the Connect REST API; only "
                    + logins.operatorUser() + " may").build());
        }
    }

    private static Response.ResponseBuilder error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(JSON.createObjectNode().put("error_code", status).put("message", message).toString());
    }

    @Override
    public void close() {
    }

    @Override
    public String version() {
        return AppInfoParser.getVersion();
    }
}
