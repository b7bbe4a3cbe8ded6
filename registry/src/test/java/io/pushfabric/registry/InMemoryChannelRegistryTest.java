package io.pushfabric.registry;

class InMemoryChannelRegistryTest extends ChannelRegistryContract {
    @Override
    protected ChannelRegistry newRegistry() {
        return new InMemoryChannelRegistry();
    }
}
