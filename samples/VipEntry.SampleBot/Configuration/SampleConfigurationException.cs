namespace VipEntry.SampleBot.Configuration;

/// <summary>A setting is missing or invalid: the program prints the message, which names it, and exits non-zero.</summary>
public sealed class SampleConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SampleConfigurationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the setting.</param>
    public SampleConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the setting.</param>
    /// <param name="innerException">The cause.</param>
    public SampleConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
