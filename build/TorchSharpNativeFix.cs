// Patches the output copy of TorchSharp's libLibTorchSharp.so so that it loads on distributions whose
// libstdc++ predates GLIBCXX_3.4.32 (GCC 13), e.g. Debian 12 and Ubuntu 22.04. The only symbol behind that
// version is std::ios_base_library_init(), a marker GCC 13's <iostream> references without relocations, so
// ld.so never has to resolve it; the version check alone is what fails. Setting VER_FLG_WEAK on the
// GLIBCXX_3.4.32 requirement turns "version not found" from fatal into a note. The symbol's .gnu.version
// entry still names that version; that is harmless because no relocation refers to the symbol, so nothing
// looks it up, not even with RTLD_NOW or LD_BIND_NOW.
//
// Compiled twice: as the inline MSBuild task of TorchSharpNativeFix.targets (RoslynCodeTaskFactory, which
// compiles against netstandard2.0, so no spans or records here), and into GaitStream.Training.Tests with
// GAITSTREAM_ELF_ONLY defined, which leaves out the MSBuild task and keeps the ELF reader.
//
// ELF layout (System V gABI; LSB "Symbol Versioning"): Elf64_Ehdr.e_shoff/e_shentsize/e_shnum locate the
// section headers. The SHT_GNU_verneed section (.gnu.version_r) holds sh_info Elf64_Verneed records, one per
// needed file, chained by vn_next; each heads a chain of Elf64_Vernaux records (one per needed version,
// chained by vna_next). Names are offsets into the string table named by the section's sh_link.
#nullable enable
namespace GaitStream.Build
{
    using System;
    using System.Collections.Generic;
    using System.Diagnostics;
    using System.IO;
    using System.Runtime.InteropServices;
    using System.Text;

    /// <summary>One version a library needs from one file, e.g. GLIBCXX_3.4.32 from libstdc++.so.6.</summary>
    internal sealed class VersionNeed
    {
        public VersionNeed(string file, string version, ushort flags, ushort index, long flagsOffset)
        {
            File = file;
            Version = version;
            Flags = flags;
            Index = index;
            FlagsOffset = flagsOffset;
        }

        /// <summary>The needed file (vn_file), e.g. "libstdc++.so.6".</summary>
        public string File { get; }

        /// <summary>The needed version name (vna_name), e.g. "GLIBCXX_3.4.32".</summary>
        public string Version { get; }

        /// <summary>vna_flags: VER_FLG_WEAK (0x2) and VER_FLG_BASE (0x1).</summary>
        public ushort Flags { get; }

        /// <summary>vna_other: the index .gnu.version entries use for this version.</summary>
        public ushort Index { get; }

        /// <summary>File offset of the two-byte vna_flags field.</summary>
        public long FlagsOffset { get; }

        public bool IsWeak => (Flags & ElfVersionNeeds.VerFlagWeak) != 0;
    }

    internal static class ElfVersionNeeds
    {
        public const ushort VerFlagWeak = 0x2;

        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const int Elf64SectionHeaderSize = 64;
        private const int VerneedSize = 16;
        private const int VernauxSize = 16;

        /// <summary>Every Vernaux entry of the library, in file order.</summary>
        public static IReadOnlyList<VersionNeed> Read(string path)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var reader = new BinaryReader(stream); // BinaryReader is little-endian on every host.
            return Read(reader, path);
        }

        /// <summary>The entry for <paramref name="version"/> needed from <paramref name="file"/>, or null.</summary>
        public static VersionNeed? Find(string path, string file, string version)
        {
            foreach (var need in Read(path))
            {
                if (string.Equals(need.File, file, StringComparison.Ordinal)
                    && string.Equals(need.Version, version, StringComparison.Ordinal))
                {
                    return need;
                }
            }

            return null;
        }

        /// <summary>
        /// Sets VER_FLG_WEAK on one Vernaux entry in place. Returns false when the entry was already weak
        /// (nothing written). Throws when the library does not need that version at all.
        /// </summary>
        public static bool MakeWeak(string path, string file, string version)
        {
            var need = Find(path, file, version)
                ?? throw new InvalidDataException($"{path} does not need version {version} from {file}.");
            if (need.IsWeak)
            {
                return false;
            }

            var flags = (ushort)(need.Flags | VerFlagWeak);
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None);
            stream.Position = need.FlagsOffset;
            stream.WriteByte((byte)(flags & 0xff));
            stream.WriteByte((byte)(flags >> 8));
            return true;
        }

        private static List<VersionNeed> Read(BinaryReader reader, string path)
        {
            var ident = reader.ReadBytes(16);
            if (ident.Length < 16 || ident[0] != 0x7f || ident[1] != (byte)'E' || ident[2] != (byte)'L' || ident[3] != (byte)'F')
            {
                throw new InvalidDataException($"{path} is not an ELF file.");
            }

            if (ident[4] != 2 || ident[5] != 1)
            {
                throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file.");
            }

            Seek(reader, 0x28);
            var sectionHeadersOffset = checked((long)reader.ReadUInt64()); // e_shoff
            Seek(reader, 0x3a);
            var sectionHeaderSize = reader.ReadUInt16(); // e_shentsize
            long sectionCount = reader.ReadUInt16(); // e_shnum
            if (sectionHeadersOffset == 0 || sectionHeaderSize < Elf64SectionHeaderSize)
            {
                throw new InvalidDataException($"{path} has no section headers.");
            }

            if (sectionCount == 0)
            {
                // More than 0xff00 sections: the real count lives in section 0's sh_size.
                sectionCount = checked((long)ReadSection(reader, sectionHeadersOffset, sectionHeaderSize, 0).Size);
            }

            var needs = new List<VersionNeed>();
            for (long i = 0; i < sectionCount; i++)
            {
                var section = ReadSection(reader, sectionHeadersOffset, sectionHeaderSize, i);
                if (section.Type != ShtGnuVerneed)
                {
                    continue;
                }

                var strings = ReadSection(reader, sectionHeadersOffset, sectionHeaderSize, section.Link);
                ReadVerneedChain(reader, section, strings, needs, path);
            }

            return needs;
        }

        private static void ReadVerneedChain(BinaryReader reader, Section section, Section strings, List<VersionNeed> needs, string path)
        {
            var verneedOffset = section.Offset;
            for (uint n = 0; n < section.Info; n++)
            {
                CheckInside(section, verneedOffset, VerneedSize, path);
                Seek(reader, verneedOffset);
                reader.ReadUInt16(); // vn_version
                var auxCount = reader.ReadUInt16(); // vn_cnt
                var fileOffset = reader.ReadUInt32(); // vn_file
                var auxOffset = verneedOffset + reader.ReadUInt32(); // vn_aux
                var next = reader.ReadUInt32(); // vn_next
                var fileName = ReadString(reader, strings, fileOffset, path);

                for (var a = 0; a < auxCount; a++)
                {
                    CheckInside(section, auxOffset, VernauxSize, path);
                    Seek(reader, auxOffset);
                    reader.ReadUInt32(); // vna_hash
                    var flags = reader.ReadUInt16(); // vna_flags
                    var index = reader.ReadUInt16(); // vna_other
                    var nameOffset = reader.ReadUInt32(); // vna_name
                    var auxNext = reader.ReadUInt32(); // vna_next
                    needs.Add(new VersionNeed(fileName, ReadString(reader, strings, nameOffset, path), flags, index, auxOffset + 4));
                    if (auxNext == 0)
                    {
                        break;
                    }

                    auxOffset += auxNext;
                }

                if (next == 0)
                {
                    break;
                }

                verneedOffset += next;
            }
        }

        private static Section ReadSection(BinaryReader reader, long headersOffset, int headerSize, long index)
        {
            Seek(reader, headersOffset + (index * headerSize));
            reader.ReadUInt32(); // sh_name
            var type = reader.ReadUInt32();
            reader.ReadUInt64(); // sh_flags
            reader.ReadUInt64(); // sh_addr
            var offset = checked((long)reader.ReadUInt64());
            var size = reader.ReadUInt64();
            var link = reader.ReadUInt32();
            var info = reader.ReadUInt32();
            return new Section(type, offset, size, link, info);
        }

        private static string ReadString(BinaryReader reader, Section strings, uint offset, string path)
        {
            if (offset >= strings.Size)
            {
                throw new InvalidDataException($"{path}: string offset {offset} is outside its string table.");
            }

            Seek(reader, strings.Offset + offset);
            var bytes = new List<byte>();
            for (var b = reader.ReadByte(); b != 0; b = reader.ReadByte())
            {
                bytes.Add(b);
            }

            return Encoding.ASCII.GetString(bytes.ToArray());
        }

        private static void CheckInside(Section section, long offset, int length, string path)
        {
            if (offset < section.Offset || offset + length > section.Offset + (long)section.Size)
            {
                throw new InvalidDataException($"{path}: a version record at offset {offset} lies outside .gnu.version_r.");
            }
        }

        private static void Seek(BinaryReader reader, long offset)
        {
            if (offset < 0 || offset >= reader.BaseStream.Length)
            {
                throw new InvalidDataException($"ELF offset {offset} is outside the file.");
            }

            reader.BaseStream.Position = offset;
        }

        private readonly struct Section
        {
            public Section(uint type, long offset, ulong size, uint link, uint info)
            {
                Type = type;
                Offset = offset;
                Size = size;
                Link = link;
                Info = info;
            }

            public uint Type { get; }

            public long Offset { get; }

            public ulong Size { get; }

            public uint Link { get; }

            public uint Info { get; }
        }
    }

    /// <summary>Finds the libstdc++ the dynamic loader would pick and tells which versions it defines.</summary>
    internal static class SystemLibStdCxx
    {
        public const string FileName = "libstdc++.so.6";

        // Where distributions put it when ldconfig is missing (containers, musl): multiarch first.
        private static readonly string[] FallbackDirectories =
        {
            "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu",
            "/usr/lib64", "/lib64", "/usr/lib", "/lib",
        };

        private static readonly string[] LdconfigCandidates = { "ldconfig", "/sbin/ldconfig", "/usr/sbin/ldconfig" };

        /// <summary>The path ldconfig's cache gives for libstdc++.so.6 (this machine's architecture first), else the first usual directory that has it.</summary>
        public static string? Find()
        {
            var fromCache = FromLdconfigCache();
            if (fromCache != null)
            {
                return fromCache;
            }

            foreach (var directory in FallbackDirectories)
            {
                var candidate = Path.Combine(directory, FileName);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }

        /// <summary>Whether the library's string tables hold <paramref name="version"/> as a whole NUL-terminated name.</summary>
        public static bool HasVersion(string libraryPath, string version)
        {
            var bytes = File.ReadAllBytes(libraryPath);
            var pattern = Encoding.ASCII.GetBytes("\0" + version + "\0");
            for (var i = Array.IndexOf(bytes, pattern[0]); i >= 0 && i <= bytes.Length - pattern.Length; i = Array.IndexOf(bytes, pattern[0], i + 1))
            {
                var match = true;
                for (var j = 1; j < pattern.Length && match; j++)
                {
                    match = bytes[i + j] == pattern[j];
                }

                if (match)
                {
                    return true;
                }
            }

            return false;
        }

        private static string? FromLdconfigCache()
        {
            var output = RunLdconfig();
            if (output == null)
            {
                return null;
            }

            // Lines look like: "\tlibstdc++.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libstdc++.so.6".
            var architectureTag = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "AArch64" : "x86-64";
            string? first = null;
            foreach (var rawLine in output.Split('\n'))
            {
                var line = rawLine.Trim();
                var arrow = line.IndexOf(" => ", StringComparison.Ordinal);
                if (!line.StartsWith(FileName + " ", StringComparison.Ordinal) || arrow < 0)
                {
                    continue;
                }

                var path = line.Substring(arrow + 4).Trim();
                if (line.IndexOf(architectureTag, 0, arrow, StringComparison.Ordinal) >= 0)
                {
                    return path;
                }

                first ??= path;
            }

            return first;
        }

        private static string? RunLdconfig()
        {
            foreach (var candidate in LdconfigCandidates)
            {
                try
                {
                    var start = new ProcessStartInfo(candidate, "-p")
                    {
                        RedirectStandardOutput = true,
                        RedirectStandardError = true,
                        UseShellExecute = false,
                    };
                    using var process = Process.Start(start);
                    if (process == null)
                    {
                        continue;
                    }

                    var output = process.StandardOutput.ReadToEnd();
                    process.WaitForExit();
                    if (process.ExitCode == 0)
                    {
                        return output;
                    }
                }
                catch (System.ComponentModel.Win32Exception)
                {
                    // Not at this path; try the next one.
                }
            }

            return null;
        }
    }

#if !GAITSTREAM_ELF_ONLY
    /// <summary>
    /// MSBuild task: for each libLibTorchSharp.so (item = the package's file, metadata Destination = its copy in
    /// the output or publish folder) makes the copy need GLIBCXX_3.4.32 weakly when Mode=auto finds the system
    /// libstdc++ without it, or Mode=always; otherwise leaves the copy as the package ships it, restoring it if
    /// an earlier build patched it. Idempotent. Writes a sibling file and renames it over the copy, so a hard or
    /// symbolic link into the NuGet cache is replaced, never written through.
    /// </summary>
    public sealed class PatchTorchSharpNative : Microsoft.Build.Utilities.Task
    {
        private const string NeededFile = SystemLibStdCxx.FileName;
        private const string NeededVersion = "GLIBCXX_3.4.32";

        /// <summary>The package's libLibTorchSharp.so files, each with a Destination (full path of its copy).</summary>
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        /// <summary>auto, always or never (property GaitStreamTorchSharpPatch).</summary>
        public string Mode { get; set; } = "auto";

        /// <summary>Overrides the libstdc++ probe (property GaitStreamLibStdCxxPath): unusual layouts and tests.</summary>
        public string? LibStdCxxPath { get; set; }

        public override bool Execute()
        {
            if (!TryDecide(out var patch, out var reason))
            {
                return false;
            }

            foreach (var item in Files)
            {
                var source = item.GetMetadata("FullPath");
                var destination = item.GetMetadata("Destination");
                try
                {
                    if (patch)
                    {
                        MakeWeak(destination, reason);
                    }
                    else
                    {
                        LeaveAsShipped(source, destination, reason);
                    }
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidDataException)
                {
                    Log.LogError("Could not check or patch {0} ({1}): {2}", destination, NeededVersion, e.Message);
                }
            }

            return !Log.HasLoggedErrors;
        }

        private bool TryDecide(out bool patch, out string reason)
        {
            patch = false;
            switch ((Mode ?? string.Empty).Trim().ToLowerInvariant())
            {
                case "never":
                    reason = "GaitStreamTorchSharpPatch=never";
                    return true;
                case "always":
                    patch = true;
                    reason = "GaitStreamTorchSharpPatch=always";
                    return true;
                case "auto":
                case "":
                    if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
                    {
                        reason = "not building on Linux";
                        return true;
                    }

                    var libStdCxx = string.IsNullOrWhiteSpace(LibStdCxxPath) ? SystemLibStdCxx.Find() : LibStdCxxPath!.Trim();
                    if (libStdCxx == null)
                    {
                        patch = true; // Harmless where the version exists: a weak need that is met binds as usual.
                        reason = $"no system {NeededFile} found";
                        return true;
                    }

                    patch = !SystemLibStdCxx.HasVersion(libStdCxx, NeededVersion);
                    reason = $"system libstdc++ ({libStdCxx}) {(patch ? "lacks" : "has")} {NeededVersion}";
                    return true;
                default:
                    reason = string.Empty;
                    Log.LogError("GaitStreamTorchSharpPatch must be auto, always or never, not '{0}'.", Mode);
                    return false;
            }
        }

        private void MakeWeak(string destination, string reason)
        {
            var need = ElfVersionNeeds.Find(destination, NeededFile, NeededVersion);
            if (need == null)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, $"{destination} does not need {NeededVersion}; nothing to patch.");
            }
            else if (need.IsWeak)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, $"{destination} already needs weak {NeededVersion} ({reason}).");
            }
            else
            {
                ReplaceWith(destination, destination, temporary => ElfVersionNeeds.MakeWeak(temporary, NeededFile, NeededVersion));
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, $"patched {destination}: weak {NeededVersion} ({reason}).");
            }
        }

        private void LeaveAsShipped(string source, string destination, string reason)
        {
            var need = ElfVersionNeeds.Find(destination, NeededFile, NeededVersion);
            var shipped = ElfVersionNeeds.Find(source, NeededFile, NeededVersion);
            if (need != null && need.IsWeak && shipped != null && !shipped.IsWeak)
            {
                // An earlier build patched this copy and the Copy task, seeing the same size and time, kept it.
                ReplaceWith(destination, source, temporary => { });
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, $"restored {destination} as shipped ({reason}).");
                return;
            }

            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, $"{reason}, left {destination} untouched.");
        }

        /// <summary>Copies <paramref name="from"/> beside <paramref name="destination"/>, edits it, renames it over.</summary>
        private static void ReplaceWith(string destination, string from, Action<string> edit)
        {
            // Keep the time the Copy task gave the file: its SkipUnchangedFiles (same size, same time) then keeps
            // our copy on the next build instead of copying and patching it again.
            var lastWriteUtc = File.GetLastWriteTimeUtc(destination);
            var temporary = destination + ".gaitstream-patch";
            try
            {
                File.Copy(from, temporary, overwrite: true);
                edit(temporary);
                File.SetLastWriteTimeUtc(temporary, lastWriteUtc);
                File.Replace(temporary, destination, destinationBackupFileName: null);
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
        }
    }
#endif
}
