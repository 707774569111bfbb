/// Splits the command-line paths into bundles as the contract defines them:
///
/// - each archive file met on disk (an argument, or found under a directory argument) is a
///   bundle named by its path as walked, with a `deviceHint` from its file name;
/// - each directory argument is a bundle, named as given, of every file under it that is not
///   an archive (left out when it holds only archives);
/// - the plain files named as arguments (logs, compressed logs, `-`, FIFOs) are one bundle,
///   named by the first of them as given, placed where that first one stood.
///
/// Archive or single compressed log is decided by content. A path that does not exist or
/// cannot be read is an error; the other paths go on.
public func planBundles(paths: [String]) -> (bundles: [BundlePlan], errors: [InputError]) {
    var bundles: [BundlePlan] = []
    var errors: [InputError] = []
    var plainRoots: [BundlePlan.Root] = []
    var plainName = ""
    var plainPosition = 0

    func addPlain(_ root: BundlePlan.Root, named name: String) {
        if plainRoots.isEmpty {
            plainName = name
            plainPosition = bundles.count
        }
        plainRoots.append(root)
    }

    for path in paths {
        if path == "-" {
            addPlain(.standardInput, named: path)
            continue
        }
        let status: FileStatus
        do {
            status = try FileStatus(path: path)
        } catch {
            errors.append(error)
            continue
        }
        switch status.kind {
        case .directory:
            if let error = DirectoryWalk.listingError(path) {
                errors.append(error)
                continue
            }
            var archives: [BundlePlan] = []
            var holdsOtherFiles = false
            // Unreadable files and sub-directories are reported when the bundle is read.
            DirectoryWalk.forEachFile(under: path, report: { _ in }) { file in
                if let opened = try? FileByteSource(path: file), (try? CompressedStream.isArchiveFile(opened)) == true {
                    archives.append(archiveBundle(file))
                } else {
                    holdsOtherFiles = true
                }
            }
            if holdsOtherFiles || archives.isEmpty {
                bundles.append(BundlePlan(name: path, roots: [.directory(path: path)]))
            }
            bundles += archives
        case .regular:
            do {
                let file = try FileByteSource(path: path)
                if try CompressedStream.isArchiveFile(file) {
                    bundles.append(archiveBundle(path))
                } else {
                    addPlain(.file(path: path), named: path)
                }
            } catch {
                errors.append(error)
            }
        case .other:
            addPlain(.file(path: path), named: path)
        }
    }
    if !plainRoots.isEmpty {
        bundles.insert(BundlePlan(name: plainName, roots: plainRoots), at: plainPosition)
    }
    return (bundles, errors)
}

private func archiveBundle(_ path: String) -> BundlePlan {
    let fileName = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
    return BundlePlan(name: path, roots: [.archive(path: path)], deviceHint: DeviceHint.from(archiveName: fileName))
}
