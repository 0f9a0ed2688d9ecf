// The contract suite passes for a correct adapter (the reference one).
import { runReferenceContract } from './reference/run-contract.ts';

if (!process.env.REF_MUTATION) runReferenceContract('none');
