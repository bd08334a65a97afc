package io.idstream.platform.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idstream.schemas.registry.RegisteredSchema;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.idstream.platform.registry.RegistryError.Code.SCHEMA_NOT_FOUND;
import static io.idstream.platform.registry.RegistryError.Code.SUBJECT_COMPATIBILITY_NOT_CONFIGURED;
import static io.idstream.platform.registry.RegistryResponse.ok;

/**
 * The registry's REST API as one table of routes, with Confluent's paths, query parameters, bodies and error
 * codes: subjects and their versions (register, look up, read, soft and permanent delete, {@code ?deleted=true}
 * reads), schemas by id, compatibility tests, compatibility settings, and the read-only answers tools ask for
 * ({@code /mode}, {@code /schemas/types}). Each handler reads its request and calls the {@link SchemaStore}. The
 * routes that change the registry are marked as such, so that on a secure platform only the operator reaches them.
 */
final class RegistryRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaStore store;
    private final List<Route> routes;

    RegistryRoutes(SchemaStore store) {
        this.store = store;
        this.routes = List.of(
                Route.of("GET", "/", request -> ok(JSON.createObjectNode())),
                Route.of("GET", "/subjects", request -> ok(store.subjects(request.flag("deleted")))),
                Route.of("POST", "/subjects/{subject}", this::lookup),
                Route.change("DELETE", "/subjects/{subject}", request ->
                        ok(store.deleteSubject(request.path("subject"), request.flag("permanent")))),
                Route.of("GET", "/subjects/{subject}/versions", request ->
                        ok(store.versions(request.path("subject"), request.flag("deleted")))),
                Route.of("POST", "/subjects/{subject}/versions", this::register),
                Route.of("GET", "/subjects/{subject}/versions/{version}", request ->
                        ok(registered(version(request)))),
                Route.of("GET", "/subjects/{subject}/versions/{version}/schema", request ->
                        RegistryResponse.raw(version(request).schema())),
                Route.change("DELETE", "/subjects/{subject}/versions/{version}", request ->
                        ok(store.deleteVersion(request.path("subject"), request.path("version"),
                                request.flag("permanent")))),
                Route.of("GET", "/schemas/types", request -> ok(List.of("AVRO"))),
                Route.of("GET", "/schemas/ids/{id}", request ->
                        ok(JSON.createObjectNode().put("schema", schemaById(request)))),
                Route.of("GET", "/schemas/ids/{id}/schema", request -> RegistryResponse.raw(schemaById(request))),
                Route.of("GET", "/schemas/ids/{id}/subjects", request -> {
                    schemaById(request);
                    return ok(store.subjectsOf(schemaId(request), request.flag("deleted")));
                }),
                Route.of("POST", "/compatibility/subjects/{subject}/versions", this::testCompatibility),
                Route.of("POST", "/compatibility/subjects/{subject}/versions/{version}", this::testCompatibility),
                Route.of("GET", "/config", request -> level("compatibilityLevel", store.globalCompatibility())),
                Route.change("PUT", "/config", request -> setLevel(null, request)),
                Route.change("DELETE", "/config", request ->
                        level("compatibilityLevel", store.deleteCompatibility(null))),
                Route.of("GET", "/config/{subject}", this::subjectLevel),
                Route.change("PUT", "/config/{subject}", request -> setLevel(request.path("subject"), request)),
                Route.change("DELETE", "/config/{subject}", request ->
                        level("compatibilityLevel", store.deleteCompatibility(request.path("subject")))),
                // Tools read the mode before writing; this registry never imports or freezes, so it is always this.
                Route.of("GET", "/mode", request -> ok(JSON.createObjectNode().put("mode", "READWRITE"))));
    }

    /**
     * Answers one request: the handler of the route that matches its method and path, 405 when only the path
     * matches, 404 when nothing does (the bodies Jersey gives Confluent's registry in those cases). A route that
     * changes the registry first refuses a caller that may only read.
     */
    RegistryResponse dispatch(String method, List<String> path, Map<String, String> query, Caller caller,
                              InputStream body) throws IOException {
        boolean pathMatched = false;
        for (Route route : routes) {
            Optional<Map<String, String>> parameters = route.match(path);
            if (parameters.isEmpty()) {
                continue;
            }
            if (route.method().equals(method)) {
                if (route.changes()) {
                    caller.requireMayChange();
                }
                return route.handler().handle(new RegistryRequest(parameters.get(), query, caller, body));
            }
            pathMatched = true;
        }
        return pathMatched ? RegistryResponse.error(405, 405, "HTTP 405 Method Not Allowed")
                : RegistryResponse.error(404, 404, "HTTP 404 Not Found");
    }

    private RegistryResponse lookup(RegistryRequest request) throws IOException {
        return ok(registered(store.lookup(request.path("subject"), request.schema(), request.flag("deleted"))));
    }

    /**
     * Registers a schema; a caller that may only read gets the id of a schema already registered under the
     * subject, as every serializer asks with {@code auto.register.schemas} on, and is refused anything new.
     */
    private RegistryResponse register(RegistryRequest request) throws IOException {
        String subject = request.path("subject");
        String schema = request.schema();
        RegisteredSchema registered;
        if (request.caller().mayChange()) {
            registered = store.register(subject, schema);
        } else {
            try {
                registered = store.lookup(subject, schema, false);
            } catch (RegistryError notRegistered) {
                request.caller().requireMayChange();
                throw notRegistered;
            }
        }
        return ok(JSON.createObjectNode().put("id", registered.id()));
    }

    private RegisteredSchema version(RegistryRequest request) {
        return store.version(request.path("subject"), request.path("version"), request.flag("deleted"));
    }

    private RegistryResponse testCompatibility(RegistryRequest request) throws IOException {
        List<String> problems = store.compatibilityProblems(request.path("subject"), request.path("version"),
                request.schema());
        ObjectNode result = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
        if (request.flag("verbose")) {
            ArrayNode messages = result.putArray("messages");
            problems.forEach(messages::add);
        }
        return ok(result);
    }

    private RegistryResponse subjectLevel(RegistryRequest request) {
        String subject = request.path("subject");
        Optional<CompatibilityLevel> level = store.subjectCompatibility(subject);
        if (level.isEmpty() && !request.flag("defaultToGlobal")) {
            throw new RegistryError(SUBJECT_COMPATIBILITY_NOT_CONFIGURED, subject);
        }
        return level("compatibilityLevel", level.orElse(store.globalCompatibility()));
    }

    private RegistryResponse setLevel(String subject, RegistryRequest request) throws IOException {
        CompatibilityLevel level = request.compatibilityLevel();
        store.setCompatibility(subject, level);
        return level("compatibility", level);
    }

    private String schemaById(RegistryRequest request) {
        int id = schemaId(request);
        return store.schemaById(id)
                .orElseThrow(() -> new RegistryError(SCHEMA_NOT_FOUND, "Schema " + id + " not found"));
    }

    private static int schemaId(RegistryRequest request) {
        String text = request.path("id");
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new RegistryError(SCHEMA_NOT_FOUND, "Schema " + text + " not found");
        }
    }

    /** Confluent names the level {@code compatibilityLevel} when it reads one and {@code compatibility} when set. */
    private static RegistryResponse level(String field, CompatibilityLevel level) {
        return ok(JSON.createObjectNode().put(field, level.name()));
    }

    private static ObjectNode registered(RegisteredSchema schema) {
        return JSON.createObjectNode().put("subject", schema.subject()).put("version", schema.version())
                .put("id", schema.id()).put("schema", schema.schema());
    }
}
