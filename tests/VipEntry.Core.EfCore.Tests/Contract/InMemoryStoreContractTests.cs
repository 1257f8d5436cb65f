using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class InMemoryStoreContractTests(InMemoryBackend backend) : VipEntryStoreContractTests<InMemoryBackend>(backend);
