/**
 * The training report: plain data records describing a run ({@link org.bptt.cli.report.ReportData},
 * {@link org.bptt.cli.report.AnalysisData}), JFreeChart charts of it ({@link org.bptt.cli.report.Charts}) and a
 * self-contained HTML page with the charts inlined as SVG ({@link org.bptt.cli.report.HtmlReport}).
 *
 * <p>Everything here renders off-screen: the classes set {@code java.awt.headless=true} unless the caller chose
 * otherwise. Files are written atomically (temp file in the same folder, then an atomic move), so a reader never
 * sees a half-written report.
 */
package org.bptt.cli.report;
