package io.pivotctl.restore;

/** What import reports while it works; the CLI prints it, tests record it. */
public interface ImportProgress {

    void phase(String description);

    void levelDone(int level, int levels, int objects);

    void warning(String message);

    ImportProgress SILENT = new ImportProgress() {
        @Override
        public void phase(String description) {
        }

        @Override
        public void levelDone(int level, int levels, int objects) {
        }

        @Override
        public void warning(String message) {
        }
    };
}
