/**
 * The training report: plain data records describing a run ({@link org.bptt.report.ReportData},
 * {@link org.bptt.report.AnalysisData}), JFreeChart charts of it ({@link org.bptt.report.Charts}) and a
 * self-contained HTML page with the charts inlined as SVG ({@link org.bptt.report.HtmlReport}).
 *
 * <p>Everything here renders off-screen: the classes set {@code java.awt.headless=true} unless the caller chose
 * otherwise. Files are written atomically (temp file in the same folder, then an atomic move), so a reader never
 * sees a half-written report.
 */
package org.bptt.report;
