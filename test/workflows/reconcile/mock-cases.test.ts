import { describeMockCases } from '../mock-cases';

describeMockCases('reconcile', __dirname);
