# Homebrew formula for logscan, building from the source tarball of a tagged release.
#
# It is not published from this repository (there is no tap and no release yet). To use it:
# tag a release (v0.1.0), let GitHub make the tarball, put its SHA-256 below (shasum -a 256),
# and commit this file to a tap of your own (a repository named homebrew-<tap> with
# Formula/logscan.rb); then `brew install <you>/<tap>/logscan`.
class Logscan < Formula
  desc "Tells why the Jamf Pro and Microsoft Intune integration fails on a Mac, from its logs"
  homepage "https://github.com/OWNER/logscan"
  url "https://github.com/OWNER/logscan/archive/refs/tags/v0.1.0.tar.gz"
  sha256 "REPLACE_WITH_THE_TARBALL_SHA256"
  license "MIT"
  head "https://github.com/OWNER/logscan.git", branch: "main"

  depends_on "pkg-config" => :build
  depends_on xcode: ["15.0", :build]
  depends_on "libarchive"
  depends_on "pcre2"
  depends_on :macos

  def install
    # Homebrew's libarchive is keg-only: SwiftPM finds it through its pkg-config file.
    ENV.prepend_path "PKG_CONFIG_PATH", Formula["libarchive"].opt_lib/"pkgconfig"
    system "swift", "build", "--disable-sandbox", "-c", "release"
    bin.install ".build/release/logscan"
    generate_completions_from_executable(bin/"logscan", "--generate-completion-script")
  end

  test do
    (testpath/"portal.log").write <<~LOG
      2020-04-27 03:07:12.118\tINFO\tcom.microsoft.ssp.application\tTID=1\tWelcomeViewController.swift: 253 (startLogin()) Portal launched without WPJ only arg while account is under partner management
    LOG
    output = shell_output("#{bin}/logscan --format json #{testpath}/portal.log", 1)
    assert_match "register-not-via-self-service", output
    assert_match "<result>", shell_output("#{bin}/logscan collect --ea --root #{testpath}")
  end
end
