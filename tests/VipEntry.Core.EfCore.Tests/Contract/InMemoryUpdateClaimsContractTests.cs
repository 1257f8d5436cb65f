using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class InMemoryUpdateClaimsContractTests(InMemoryBackend backend) : UpdateClaimsContractTests<InMemoryBackend>(backend);
