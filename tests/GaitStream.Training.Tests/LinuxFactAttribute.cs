using System.Runtime.InteropServices;

namespace GaitStream.Training.Tests;

/// <summary>A fact about Linux-only behaviour (ELF, libstdc++): skipped, visibly, elsewhere.</summary>
internal sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            Skip = "Linux only: checks an ELF shared library and the system libstdc++.";
        }
    }
}
