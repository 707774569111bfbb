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
/// cannot be read is an error; the other paths go on. A file (device and inode) is read once:
/// a plain file or archive named again, or reached again through a symlink or hard link, is a
/// `duplicate` of the bundle that reads it.
public func planBundles(paths: [String]) -> (bundles: [BundlePlan], errors: [InputError]) {
    var bundles: [BundlePlan] = []
    var errors: [InputError] = []
    var plainRoots: [BundlePlan.Root] = []
    var plainName = ""
    var plainPosition = 0
    var plainDuplicates: [BundlePlan.Duplicate] = []
    /// Files planned so far: where first met, and the bundle reading them (nil: the plain one).
    var seen: [FileIdentity: (path: String, bundle: Int?)] = [:]

    /// Whether `path` (with `identity`) was planned already; if so it is noted as a duplicate.
    func isDuplicate(_ path: String, _ identity: FileIdentity) -> Bool {
        guard let first = seen[identity] else { return false }
        let duplicate = BundlePlan.Duplicate(path: path, readAt: first.path)
        if let b = first.bundle { bundles[b].duplicates.append(duplicate) } else { plainDuplicates.append(duplicate) }
        return true
    }

    func addPlain(_ root: BundlePlan.Root, named name: String) {
        if plainRoots.isEmpty {
            plainName = name
            plainPosition = bundles.count
        }
        plainRoots.append(root)
    }

    for path in paths {
        if path == "-" {
            if plainRoots.contains(.standardInput) {
                plainDuplicates.append(BundlePlan.Duplicate(path: path, readAt: path))
                continue
            }
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
            for archive in archives {
                guard case .archive(let file) = archive.roots[0], let status = try? FileStatus(path: file) else { continue }
                if isDuplicate(file, status.identity) { continue }
                seen[status.identity] = (file, bundles.count)
                bundles.append(archive)
            }
        case .regular:
            if isDuplicate(path, status.identity) { continue }
            do {
                let file = try FileByteSource(path: path)
                if try CompressedStream.isArchiveFile(file) {
                    seen[status.identity] = (path, bundles.count)
                    bundles.append(archiveBundle(path))
                } else {
                    seen[status.identity] = (path, nil)
                    addPlain(.file(path: path), named: path)
                }
            } catch {
                errors.append(error)
            }
        case .other:
            if isDuplicate(path, status.identity) { continue }
            seen[status.identity] = (path, nil)
            addPlain(.file(path: path), named: path)
        }
    }
    if !plainRoots.isEmpty {
        var plain = BundlePlan(name: plainName, roots: plainRoots)
        plain.duplicates = plainDuplicates
        bundles.insert(plain, at: plainPosition)
    }
    return (bundles, errors)
}

private func archiveBundle(_ path: String) -> BundlePlan {
    let fileName = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
    return BundlePlan(name: path, roots: [.archive(path: path)], deviceHint: DeviceHint.from(archiveName: fileName))
}
