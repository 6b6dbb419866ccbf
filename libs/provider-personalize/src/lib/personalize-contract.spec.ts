import { describeRecommenderProviderContract } from '@encore/recommender-port/testing';
import { personalizeContractFixture } from '../testing';

// The real SDK clients against a loopback fake of the Personalize APIs.
describeRecommenderProviderContract('personalize', personalizeContractFixture);
