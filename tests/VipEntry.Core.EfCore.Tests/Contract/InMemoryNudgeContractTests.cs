using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class InMemoryNudgeContractTests(InMemoryBackend backend) : NudgeContractTests<InMemoryBackend>(backend);
