package io.pushfabric.registry;

class InMemoryRouteRegistryTest extends RouteRegistryContract {
    @Override
    protected RouteRegistry newRegistry() {
        return new InMemoryRouteRegistry();
    }
}
