using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class InMemoryChannelFactsContractTests(InMemoryBackend backend) : ChannelFactsContractTests<InMemoryBackend>(backend);
