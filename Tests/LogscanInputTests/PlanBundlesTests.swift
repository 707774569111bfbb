import Foundation
import Testing
@testable import LogscanInput

@Suite struct PlanBundlesTests {
    @Test func plainFilesFormOneBundleNamedByTheFirst() throws {
        let dir = try TemporaryDirectory()
        let jamf = try dir.write("jamf.log", "a\n")
        let portal = try dir.write("portal.log", "b\n")
        let (bundles, errors) = planBundles(paths: [jamf, "-", portal])
        #expect(errors.isEmpty)
        #expect(bundles == [BundlePlan(name: jamf, roots: [.file(path: jamf), .standardInput, .file(path: portal)])])
    }

    @Test func singleCompressedLogJoinsThePlainFilesButTarGzIsItsOwnBundle() throws {
        let dir = try TemporaryDirectory()
        try dir.write("logs/jamf.log", "hello\n")
        try run(["cp", "logs/jamf.log", "jamf.log.0"], in: dir.path)
        try run(["gzip", "jamf.log.0"], in: dir.path)
        try run(["tar", "czf", "logs.tar.gz", "logs"], in: dir.path)
        try run(["cp", "logs.tar.gz", "disguised.gz"], in: dir.path)
        let plain = try dir.write("install.log", "x\n")
        let paths = [dir.at("jamf.log.0.gz"), dir.at("logs.tar.gz"), plain, dir.at("disguised.gz")]
        let (bundles, errors) = planBundles(paths: paths)
        #expect(errors.isEmpty)
        #expect(bundles == [
            BundlePlan(name: paths[0], roots: [.file(path: paths[0]), .file(path: plain)]),
            BundlePlan(name: paths[1], roots: [.archive(path: paths[1])]),
            BundlePlan(name: paths[3], roots: [.archive(path: paths[3])]),
        ])
    }

    @Test func directoryIsABundleAndArchivesUnderItAreTheirOwn() throws {
        let dir = try TemporaryDirectory()
        try dir.write("fleet/notes/readme.txt", "x\n")
        try dir.write("fleet/b/system.log.1", "y\n")
        try run(["gzip", "fleet/b/system.log.1"], in: dir.path)
        try dir.write("src/jamf.log", "z\n")
        try run(["zip", "-qr", "../fleet/mac-02.zip", "."], in: dir.at("src"))
        try run(["zip", "-qr", "../fleet/b/mac-01.zip", "."], in: dir.at("src"))
        try run(["tar", "cJf", "../fleet/mac-03.tar.xz", "."], in: dir.at("src"))
        let fleet = dir.at("fleet") + "/"  // as given, trailing slash kept
        let (bundles, errors) = planBundles(paths: [fleet])
        #expect(errors.isEmpty)
        #expect(bundles.map(\.name) == [fleet, fleet + "b/mac-01.zip", fleet + "mac-02.zip", fleet + "mac-03.tar.xz"])
        #expect(bundles[0].roots == [.directory(path: fleet)])
        #expect(bundles[1].roots == [.archive(path: fleet + "b/mac-01.zip")])

        // Walking the directory bundle skips the archives, which belong to their own bundles.
        let result = walk(bundles[0])
        #expect(result.sources == [fleet + "b/system.log.1.gz", fleet + "notes/readme.txt"])
        #expect(result.leaves.map(\.text) == ["y\n", "x\n"])
        #expect(result.allErrors.isEmpty)
    }

    @Test func directoryOfOnlyArchivesIsNoBundleItself() throws {
        let dir = try TemporaryDirectory()
        try dir.write("src/jamf.log", "z\n")
        try FileManager.default.createDirectory(atPath: dir.at("fleet"), withIntermediateDirectories: true)
        try run(["zip", "-qr", "../fleet/mac.zip", "."], in: dir.at("src"))
        let (bundles, _) = planBundles(paths: [dir.at("fleet")])
        #expect(bundles.map(\.name) == [dir.at("fleet/mac.zip")])
    }

    @Test func missingAndUnreadablePathsAreErrorsAndTheRestGoesOn() throws {
        let dir = try TemporaryDirectory()
        let good = try dir.write("jamf.log", "a\n")
        let (bundles, errors) = planBundles(paths: [dir.at("nope.log"), good])
        #expect(bundles == [BundlePlan(name: good, roots: [.file(path: good)])])
        #expect(errors.count == 1)
        #expect(errors.first?.source == dir.at("nope.log"))
        #expect(errors.first?.message.contains("No such file") == true)
    }

    @Test(arguments: [
        ("Anns-MacBook-Pro-IntuneMacODC-2025-03-09T14-02-11-0500.zip", "Anns-MacBook-Pro"),
        ("ann_2025-03-09_logs.zip", "ann"),
        ("C02XK1JHJG5H_2025-03-09-14.02.11_JamfLogs.zip", "C02XK1JHJG5H"),
        ("Anns-MacBook-Pro-ann-2025-03-09-14-02-11.zip", "Anns-MacBook-Pro"),
        ("sysdiagnose_2025.10.12_19-39-49-0700_macOS_Mac_25A362.tar.gz", nil),
        ("IntuneDiagnostics_20250309_140211.zip", nil),
        ("logs.zip", nil),
    ] as [(String, String?)])
    func deviceHintComesFromCollectorArchiveNames(name: String, hint: String?) throws {
        #expect(DeviceHint.from(archiveName: name) == hint)
        let dir = try TemporaryDirectory()
        try dir.write("src/jamf.log", "z\n")
        let archive = dir.at(name)
        if name.hasSuffix(".zip") {
            try run(["zip", "-qr", archive, "."], in: dir.at("src"))
        } else {
            try run(["tar", "czf", archive, "."], in: dir.at("src"))
        }
        let (bundles, _) = planBundles(paths: [archive])
        #expect(bundles == [BundlePlan(name: archive, roots: [.archive(path: archive)], deviceHint: hint)])
    }
}
