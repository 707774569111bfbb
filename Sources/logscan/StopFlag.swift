import ArgumentParser
import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis
import LogscanInput
import LogscanReport

/// Set by SIGINT or SIGTERM; read by the follow loop.
///
/// A handler of its own, installed in one step, so a signal that comes while `follow` starts
/// is never lost. (Ignoring the signal, then arming a Dispatch signal source, left a window in
/// which the kernel discarded SIGINT: a `follow` interrupted while starting on a busy machine
/// ran on for ever.) The handler writes a byte to a pipe (async-signal-safe, and an ordering
/// the thread sanitizer sees); the loop reads it without waiting.
final class StopFlag: @unchecked Sendable {
    // SAFETY: `stopped` is read and written by the one thread that runs the follow loop.
    private var stopped = false
    private var readEnd: Int32 = -1

    var isSet: Bool {
        if !stopped && readEnd >= 0 {
            var byte: UInt8 = 0
            stopped = read(readEnd, &byte, 1) == 1
        }
        return stopped
    }

    func install() {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return }
        for end in ends { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK); _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        readEnd = ends[0]
        followStopPipe = ends[1]
        var signals = sigset_t()
        sigemptyset(&signals)
        for sig in [SIGINT, SIGTERM] {
            _ = signal(sig) { _ in
                var byte: UInt8 = 1
                _ = write(followStopPipe, &byte, 1)
            }
            sigaddset(&signals, sig)
        }
        // A parent may start us with these signals blocked (Foundation's Process does): a
        // blocked one would wait for ever. Unblocked here, one sent meanwhile comes now.
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }
}

/// The pipe's write end, set before the handler is installed and only read after.
nonisolated(unsafe) private var followStopPipe: Int32 = -1
