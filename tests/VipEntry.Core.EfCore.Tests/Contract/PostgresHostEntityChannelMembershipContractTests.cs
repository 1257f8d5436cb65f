using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class PostgresHostEntityChannelMembershipContractTests(PostgresLegacyBackend backend) : ChannelMembershipContractTests<PostgresLegacyBackend>(backend);
