using System.Runtime.InteropServices;

namespace NotebookKit.Data;

/// <summary>
/// What makes two names one file: the device and the file's number on it (inode on Linux and macOS, the file index on
/// Windows), the target's when the name is a symbolic link. Two symbolic links, a hard link, a bind mount or a
/// second mount of one folder all give equal identities, which real paths cannot tell. Where the platform's call is not
/// available the real path stands in (links are still caught, hard links and bind mounts are not).
/// </summary>
public readonly record struct FileIdentity(ulong Device, ulong Number, string? RealPath = null)
{
    /// <summary>The identity of the file or folder <paramref name="path"/> names, links followed.</summary>
    /// <exception cref="IOException">It does not exist or cannot be examined.</exception>
    public static FileIdentity Of(string path)
    {
        if (OperatingSystem.IsWindows()) return Windows.Of(path);
        // A file system without stable file numbers (some FUSE and network mounts report 0) falls back to the real path.
        if ((OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) && Unix.Of(path) is { Number: not 0 } unix) return unix;
        return new FileIdentity(0, 0, new RealPaths().Of(path));
    }

    /// <summary>device:number, or the real path where it stands in.</summary>
    public override string ToString() => RealPath ?? $"{Device}:{Number}";

    /// <summary>stat(2) from the C library; the fields it needs sit at the same offsets on every 64-bit Linux and macOS.</summary>
    static class Unix
    {
        // struct stat: Linux x86-64 and arm64 start with dev_t st_dev (8 bytes) then ino_t st_ino (8 bytes);
        // macOS (64-bit inodes) starts with dev_t st_dev (4 bytes), mode and nlink (2 + 2 bytes), then st_ino (8 bytes).
        const int BufferSize = 512; // larger than struct stat on every platform (144 bytes on Linux x86-64)

        static int available = -1; // -1 unknown, 0 no, 1 stat, 2 __xstat (glibc before 2.33)

        [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
        static extern int StatLinux([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);

        [DllImport("libc", EntryPoint = "__xstat", SetLastError = true)]
        static extern int XStatLinux(int version, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);

        [DllImport("libSystem.dylib", EntryPoint = "stat$INODE64", SetLastError = true)]
        static extern int StatMacX64([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);

        [DllImport("libSystem.dylib", EntryPoint = "stat", SetLastError = true)]
        static extern int StatMacArm([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);

        public static FileIdentity? Of(string path)
        {
            if (!Environment.Is64BitProcess || available == 0) return null;
            var buffer = new byte[BufferSize];
            int result;
            try
            {
                result = Call(path, buffer);
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                if (OperatingSystem.IsLinux() && available == -1)
                {
                    available = 2; // glibc before 2.33 exports stat only as __xstat
                    try { result = Call(path, buffer); }
                    catch (Exception again) when (again is EntryPointNotFoundException or DllNotFoundException) { available = 0; return null; }
                }
                else { available = 0; return null; }
            }
            if (result != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new IOException($"{path}: cannot be examined ({Marshal.GetPInvokeErrorMessage(errno)})");
            }
            if (available == -1) available = 1;
            return OperatingSystem.IsMacOS()
                ? new FileIdentity(BitConverter.ToUInt32(buffer, 0), BitConverter.ToUInt64(buffer, 8))
                : new FileIdentity(BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8));
        }

        static int Call(string path, byte[] buffer)
        {
            if (OperatingSystem.IsMacOS())
                return RuntimeInformation.ProcessArchitecture == Architecture.X64 ? StatMacX64(path, buffer) : StatMacArm(path, buffer);
            if (available == 2) return XStatLinux(RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 1 : 0, path, buffer);
            return StatLinux(path, buffer);
        }
    }

    /// <summary>GetFileInformationByHandle: the volume's serial number and the file's index on it.</summary>
    static class Windows
    {
        // BY_HANDLE_FILE_INFORMATION: 52 bytes, FILETIMEs 4-byte aligned (Pack = 4: no padding after FileAttributes).
        [StructLayout(LayoutKind.Sequential, Pack = 4)]
        struct ByHandleFileInformation
        {
            public uint FileAttributes;
            public long CreationTime, LastAccessTime, LastWriteTime;
            public uint VolumeSerialNumber, FileSizeHigh, FileSizeLow, NumberOfLinks, FileIndexHigh, FileIndexLow;
        }

        [DllImport("kernel32.dll", SetLastError = true)]
        static extern bool GetFileInformationByHandle(Microsoft.Win32.SafeHandles.SafeFileHandle file, out ByHandleFileInformation information);

        [DllImport("kernel32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
        static extern Microsoft.Win32.SafeHandles.SafeFileHandle CreateFileW(string name, uint access, uint share, IntPtr security, uint disposition, uint flags, IntPtr template);

        public static FileIdentity Of(string path)
        {
            // FILE_SHARE_READ | WRITE | DELETE, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS (folders too); no access asked.
            using var handle = CreateFileW(Path.GetFullPath(path), 0, 7, IntPtr.Zero, 3, 0x02000000, IntPtr.Zero);
            if (handle.IsInvalid || !GetFileInformationByHandle(handle, out var info))
                throw new IOException($"{path}: cannot be examined ({Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())})");
            var number = ((ulong)info.FileIndexHigh << 32) | info.FileIndexLow;
            return number == 0 ? new FileIdentity(0, 0, new RealPaths().Of(path)) : new FileIdentity(info.VolumeSerialNumber, number);
        }
    }
}
