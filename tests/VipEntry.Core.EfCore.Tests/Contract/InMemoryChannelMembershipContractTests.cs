using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class InMemoryChannelMembershipContractTests(InMemoryBackend backend) : ChannelMembershipContractTests<InMemoryBackend>(backend);
