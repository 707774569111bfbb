// LogscanDiagnosis: from the records of a bundle's files to causes.
//
// Owns: time resolution across a bundle's files (`TimeResolver`), the timeline (`Timeline`),
// the classifier that evaluates cause conditions (`Classifier`), the scan of whole bundles
// (`ScanEngine`, `BundleAnalyzer`) and the live session behind `follow` (`LiveSession`), and
// the report model they produce (`BundleReport`, `Finding`, `Event`).
// Must not: write output in any format (that is LogscanReport) or parse command lines.
