package io.pushfabric.registry;

class InMemoryChannelMembersTest extends ChannelMembersContract {
    @Override
    protected ChannelMembers newMembers() {
        return new InMemoryChannelMembers();
    }
}
