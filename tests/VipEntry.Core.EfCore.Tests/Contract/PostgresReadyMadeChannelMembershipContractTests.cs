using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class PostgresReadyMadeChannelMembershipContractTests(PostgresReadyMadeBackend backend) : ChannelMembershipContractTests<PostgresReadyMadeBackend>(backend);
