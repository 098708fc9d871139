import { describeMockCases } from '../mock-cases';

describeMockCases('repair-tampering', __dirname);
