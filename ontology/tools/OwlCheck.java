// OWL API profile checker for Khyber: loads one RDF file (Turtle, RDF/XML, ...) and prints
// every OWL 2 profile violation, one per line, plus a few counts.
//
// Usage: java -cp <owlapi jars>:<dir> OwlCheck <DL|RL|EL|QL> FILE
// Output lines:  "VIOLATION\t<type>\t<text>", "UNPARSED\t<triple>", "STAT\t<name>\t<n>".
// Exit status: 0 when the file loads (whatever the violations), 2 when it cannot be loaded.
// Compiled and run by loader/owlcheck.py, which caches the class file.

import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.io.RDFTriple;
import org.semanticweb.owlapi.model.AxiomType;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.parameters.Imports;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWL2ELProfile;
import org.semanticweb.owlapi.profiles.OWL2QLProfile;
import org.semanticweb.owlapi.profiles.OWL2RLProfile;
import org.semanticweb.owlapi.profiles.OWLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public final class OwlCheck {
    private OwlCheck() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: OwlCheck DL|RL|EL|QL FILE");
            System.exit(2);
        }
        OWLProfile profile;
        switch (args[0]) {
            case "DL": profile = new OWL2DLProfile(); break;
            case "RL": profile = new OWL2RLProfile(); break;
            case "EL": profile = new OWL2ELProfile(); break;
            case "QL": profile = new OWL2QLProfile(); break;
            default:
                System.err.println("unknown profile " + args[0]);
                System.exit(2);
                return;
        }
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology o;
        try {
            o = manager.loadOntologyFromOntologyDocument(new File(args[1]));
        } catch (Exception e) {
            System.err.println("cannot load " + args[1] + ": " + e);
            System.exit(2);
            return;
        }
        // Triples the parser could not map to OWL are silently dropped by default: report them.
        manager.getOntologyFormat(o).getOntologyLoaderMetaData().ifPresent(
            (OWLOntologyLoaderMetaData md) -> md.getUnparsedTriples().forEach(
                (RDFTriple t) -> System.out.println("UNPARSED\t" + t)));
        OWLProfileReport report = profile.checkOntology(o);
        for (OWLProfileViolation v : report.getViolations()) {
            String text = v.toString().replace('\n', ' ').replace('\t', ' ');
            System.out.println("VIOLATION\t" + v.getClass().getSimpleName() + "\t" + text);
        }
        System.out.println("STAT\taxioms\t" + o.getAxiomCount(Imports.EXCLUDED));
        System.out.println("STAT\tlogicalAxioms\t" + o.getLogicalAxiomCount(Imports.EXCLUDED));
        System.out.println("STAT\tclasses\t" + o.getClassesInSignature(Imports.EXCLUDED).size());
        System.out.println("STAT\tobjectProperties\t" + o.getObjectPropertiesInSignature(Imports.EXCLUDED).size());
        System.out.println("STAT\tdataProperties\t" + o.getDataPropertiesInSignature(Imports.EXCLUDED).size());
        System.out.println("STAT\tannotationProperties\t" + o.getAnnotationPropertiesInSignature(Imports.EXCLUDED).size());
        System.out.println("STAT\tindividuals\t" + o.getIndividualsInSignature(Imports.EXCLUDED).size());
        System.out.println("STAT\tclassAssertions\t" + o.getAxiomCount(AxiomType.CLASS_ASSERTION));
    }
}
