using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class InMemoryPaymentStoreContractTests(InMemoryBackend backend) : PaymentStoreContractTests<InMemoryBackend>(backend);
