package io.pivotctl.crypto;

import com.exceptionfactory.jagged.RecipientStanza;
import java.util.List;

/** A recipient stanza of the age header, as our scrypt writer produces it. */
record Stanza(String type, List<String> arguments, byte[] body) implements RecipientStanza {

    @Override
    public String getType() {
        return type;
    }

    @Override
    public List<String> getArguments() {
        return arguments;
    }

    @Override
    public byte[] getBody() {
        return body.clone();
    }
}
