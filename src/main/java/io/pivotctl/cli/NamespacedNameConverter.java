package io.pivotctl.cli;

import io.pivotctl.kube.NamespacedName;
import picocli.CommandLine;

/** picocli converter for every NS/NAME option: a malformed value is a usage error (exit 2) before anything is read. */
final class NamespacedNameConverter implements CommandLine.ITypeConverter<NamespacedName> {

    @Override
    public NamespacedName convert(String value) {
        try {
            return NamespacedName.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
