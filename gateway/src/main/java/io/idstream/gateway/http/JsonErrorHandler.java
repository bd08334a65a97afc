package io.idstream.gateway.http;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the requests Jetty refuses before the gateway sees them (a request line or Host header that is not valid
 * HTTP) in the API's own error form, so that every refusal a holder reads is {@code {"error":{...}}}. The message
 * names the status only: Jetty's own text may repeat what the client sent.
 */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int status, String message,
                                    Throwable cause, Callback callback) {
        String code = switch (status) {
            case 404 -> ApiError.NOT_FOUND;
            case 405 -> ApiError.METHOD_NOT_ALLOWED;
            case 413 -> ApiError.TOO_LARGE;
            case 429 -> ApiError.TOO_MANY_REQUESTS;
            case 503 -> ApiError.UNAVAILABLE;
            default -> status >= 500 ? ApiError.INTERNAL : ApiError.BAD_REQUEST;
        };
        JsonResponses.error(response, callback, new ApiError(status, code, "the request was refused: "
                + HttpStatus.getMessage(status)));
    }
}
