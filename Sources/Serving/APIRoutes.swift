import HTTPTypes

/// Every route the server answers, in one place: the router is built from this list, and a test checks that
/// openapi.json documents each of them.
public enum APIRoutes {
    public struct Route: Sendable, Hashable {
        public var method: HTTPRequest.Method
        /// Hummingbird path pattern; `**` matches the rest of the path.
        public var path: String
    }

    public static let predict = Route(method: .post, path: "/api/v1/predict")
    public static let read = Route(method: .post, path: "/api/v1/read")
    public static let models = Route(method: .get, path: "/api/v1/models")
    public static let openAPI = Route(method: .get, path: "/api/v1/openapi.json")
    public static let health = Route(method: .get, path: "/healthz")
    public static let ready = Route(method: .get, path: "/readyz")
    public static let metrics = Route(method: .get, path: "/metrics")
    public static let page = Route(method: .get, path: "/")
    /// Any other file of the page (app.js, style.css, …).
    public static let asset = Route(method: .get, path: "/**")

    public static let all: [Route] = [predict, read, models, openAPI, health, ready, metrics, page, asset]

    /// Methods answered with 405 (and an Allow header) on a known path registered for another method.
    static let otherMethods: [HTTPRequest.Method] = [.get, .head, .post, .put, .delete, .patch, .options]
}
