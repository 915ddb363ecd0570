package io.pivotctl.export;

/** What export reports while it works; the CLI prints it on stderr, tests record it. */
public interface ExportProgress {

    void phase(String description);

    void listed(String resource, int count);

    void warning(String message);

    ExportProgress SILENT = new ExportProgress() {
        @Override
        public void phase(String description) {
        }

        @Override
        public void listed(String resource, int count) {
        }

        @Override
        public void warning(String message) {
        }
    };
}
